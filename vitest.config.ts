import { configDefaults, defineConfig } from 'vitest/config';

// Node-side tests: pure logic (selection, stream parsing, errors, schemas, persistence).
export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'tests/node/**/*.test.ts',
      'shared-runtime/test/node/**/*.test.ts',
      'packages/*/test/node/**/*.test.ts',
      'block-metadata/test/**/*.test.ts',
    ],
    // Measures dist/: runs after the build, with vitest.budgets.config.ts.
    exclude: [...configDefaults.exclude, 'tests/node/budgets.test.ts'],
    testTimeout: 20000,
  },
});
