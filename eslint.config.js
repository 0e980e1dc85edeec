// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

/** Imports one part of the workspace must never make (docs/architecture.md, "Layers"). */
const blocks = ['@ai-blocks/block-ai-*'];
const hostAndTests = [
  '@ai-blocks/host',
  '@ai-blocks/host/*',
  '@ai-blocks/tests',
  '@ai-blocks/tests/*',
  '@ai-blocks/test-models',
  '@ai-blocks/test-models/*',
];

/** Graph writes belong to @ai-blocks/persistence alone. */
const graphWriteMethods = [
  'createEntity',
  'updateEntity',
  'deleteEntity',
  'uploadFile',
  'createEntityType',
  'updateEntityType',
];
const graphWriteCall = {
  selector: `CallExpression[callee.property.name=/^(${graphWriteMethods.join('|')})$/]`,
  message: 'Only @ai-blocks/persistence writes to the graph.',
};

/** A focused test (`describe.only`, `it.only`, …) silently skips every other test in the run. */
const focusedTests = ['describe', 'context', 'suite', 'it', 'specify', 'test'].map((object) => ({
  object,
  property: 'only',
  message: 'A focused test (.only) skips every other test in the run: remove .only before committing.',
}));

/**
 * @param {string[]} patterns package-name globs
 * @param {{regex: string, message: string}[]} [regexes]
 */
const restrict = (patterns, regexes = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: patterns, message: 'This import crosses a package boundary (see docs/architecture.md).' },
        ...regexes,
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '**/*.gguf'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'vitest.config.ts',
            'vitest.budgets.config.ts',
            'vitest.packaging.config.ts',
            'scripts/*.mjs',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': ['error', graphWriteCall],
      // Prettier's print width, also for what it cannot break (strings, templates, comments).
      'max-len': ['error', { code: 120 }],
      // Event handlers in templates read best as `@click=${() => this.handleX()}`.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'no-restricted-properties': ['error', ...focusedTests],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests may use chai's property assertions and talk to the console.
    files: ['tests/**/*.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-implied-eval': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      'no-console': 'off',
    },
  },
  {
    // Browser tests use chai's property assertions (`expect(x).to.exist`), which
    // no-floating-promises misreads as promises here (tsc types them as plain Assertion).
    files: ['tests/browser/**/*.ts', 'tests/webgpu/**/*.ts', 'tests/isolated/**/*.ts', '**/test/browser/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: [
      'scripts/**',
      '.ci/**',
      'tests/model-server/**',
      'packages/host/src/server/**',
      'packages/host/src/server.ts',
      'tests/servers/**',
      'packages/test-models/src/cli.ts',
      '**/bench/**',
    ],
    rules: { 'no-console': 'off' },
  },
  // Lit and web-component rules for everything that renders.
  {
    files: ['blocks/**/*.ts', 'packages/ui/**/*.ts', 'packages/host/src/**/*.ts', 'tests/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['blocks/**/*.ts', 'packages/ui/**/*.ts', 'packages/host/src/**/*.ts', 'tests/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  // Package boundaries.
  {
    files: ['block-metadata/src/**/*.ts'],
    rules: restrict(['@ai-blocks/*', '@blockprotocol/*', 'lit', 'lit/*']),
  },
  {
    files: ['shared-runtime/src/**/*.ts'],
    rules: restrict([
      ...blocks,
      ...hostAndTests,
      '@ai-blocks/persistence',
      '@ai-blocks/ui',
      '@blockprotocol/graph',
      '@blockprotocol/graph/*',
    ]),
  },
  {
    // Engines depend on the engine interface, never on each other or on the runtime around them.
    files: ['shared-runtime/src/engines/**/*.ts'],
    rules: restrict(
      [...blocks, ...hostAndTests, '@ai-blocks/*', '@blockprotocol/graph', '@blockprotocol/graph/*'],
      [
        {
          regex: '^\\.\\./\\.\\./(?!interface/|provider-utils/)',
          message: 'Engines import only ../../interface/ and ../../provider-utils/ from the runtime.',
        },
        { regex: '^\\.\\./(?!\\.\\./)', message: 'Engines do not import each other.' },
      ],
    ),
  },
  {
    // Helpers for engines (HTTP, SSE, retries), like the AI SDK's provider-utils: they build on the interface only.
    files: ['shared-runtime/src/provider-utils/**/*.ts'],
    rules: restrict(
      ['@ai-blocks/*', '@blockprotocol/*'],
      [{ regex: '^\\.\\./(?!interface/)', message: 'provider-utils imports only ../interface/.' }],
    ),
  },
  {
    files: ['shared-runtime/src/interface/**/*.ts'],
    rules: restrict(
      ['@ai-blocks/*', '@blockprotocol/*'],
      [{ regex: '^\\.\\./', message: 'The engine interface is a leaf: it imports nothing else of the runtime.' }],
    ),
  },
  {
    files: ['packages/persistence/src/**/*.ts'],
    rules: {
      ...restrict([...blocks, ...hostAndTests, '@ai-blocks/runtime', '@ai-blocks/ui']),
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['packages/ui/src/**/*.ts'],
    rules: restrict([...blocks, ...hostAndTests, '@ai-blocks/persistence', '@blockprotocol/*']),
  },
  {
    files: ['blocks/*/src/**/*.ts'],
    rules: restrict(
      [...blocks, ...hostAndTests],
      [
        {
          regex: '^\\.\\./\\.\\./',
          message:
            'A block imports other workspace code by package name, never by path; blocks never import each other.',
        },
      ],
    ),
  },
  {
    // The host is the embedder side: it answers graph writes rather than making them.
    files: ['packages/host/src/**/*.ts', 'tests/**/*.ts', 'packages/test-models/src/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
