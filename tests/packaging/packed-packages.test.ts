import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLlamaGguf, TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '../model-server/src/server.js';
import { buildPackages, PACKAGE_DIRS } from '../../scripts/build-packages.mjs';
import { packWorkspaces, projectWith, rootDir, run } from './pack.js';

// The packages as someone outside this repository gets them: built, `npm pack`ed, installed into a
// fresh project in the temporary folder, imported by plain Node 20 (no TypeScript loader, no export
// conditions) and bundled by Vite.
let scratch = '';
let project = '';
let packed = new Map<string, { tarball: string; files: string[] }>();
let server: RunningModelServer | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ai-blocks-pack-'));
  buildPackages();
  packed = await packWorkspaces(PACKAGE_DIRS, scratch);
  project = await projectWith([...packed.values()].map(({ tarball }) => tarball));
  const modelPath = join(scratch, 'tiny.gguf');
  await writeFile(modelPath, generateLlamaGguf());
  server = await startModelServer({ modelPath, threads: 1 });
}, 240_000);

const PACKAGES = [
  '@ai-blocks/block-metadata',
  '@ai-blocks/runtime',
  '@ai-blocks/persistence',
  '@ai-blocks/ui',
  '@ai-blocks/block-ai-text',
  '@ai-blocks/block-ai-image',
  '@ai-blocks/block-ai-chat',
];

afterAll(async () => {
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the packed packages outside the workspace', () => {
  it.each(PACKAGES)('%s packs JavaScript and declarations, naming no path the tarball lacks', async (name) => {
    const files = packed.get(name)?.files ?? [];
    const manifest = JSON.parse(await readFile(join(project, 'node_modules', name, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
      dependencies: Record<string, string>;
    };
    const targets = Object.values(manifest.exports).flatMap((conditions) => Object.values(conditions));
    expect(targets.some((target) => /^\.\/dist\/.*\.js$/.test(target))).toBe(true);
    expect(targets.some((target) => /^\.\/dist\/.*\.d\.ts$/.test(target))).toBe(true);
    for (const target of targets) expect(files, target).toContain(target.slice(2));
    for (const [dependency, range] of Object.entries(manifest.dependencies)) {
      expect(range, dependency).not.toMatch(/^(file:|link:|workspace:|\.)/);
    }
  });

  it.each(PACKAGES)('%s imports under plain Node 20', async (name) => {
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('${name}'); ` +
          `console.log(JSON.stringify({ resolved: import.meta.resolve('${name}'), exports: Object.keys(m) }));`,
      ],
      { cwd: project, env: { PATH: process.env['PATH'] ?? '' } },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { resolved: string; exports: string[] };
    expect(result.resolved.startsWith(`file://${join(project, 'node_modules', name, 'dist')}/`)).toBe(true);
    expect(result.exports.length).toBeGreaterThan(0);
  });

  it('runs streamText under plain Node 20 against the local llama.cpp model server', async () => {
    const script = join(project, 'stream.mjs');
    await writeFile(
      script,
      [
        "import { createOpenAICompatibleEngine, streamText } from '@ai-blocks/runtime';",
        'const [baseURL, model] = process.argv.slice(2);',
        'const engine = createOpenAICompatibleEngine({ baseURL, model });',
        "const run = streamText({ engine, messages: [{ role: 'user', content: 'hi' }], temperature: 0 });",
        'const deltas = [];',
        'for await (const delta of run.textStream) deltas.push(delta);',
        'const { status, text } = await run.outcome;',
        "console.log(JSON.stringify({ resolved: import.meta.resolve('@ai-blocks/runtime'), deltas, status, text }));",
      ].join('\n'),
    );
    // Plain Node: no tsx, no --conditions, no NODE_OPTIONS from the test runner.
    const { stdout } = await run(process.execPath, [script, server?.url ?? '', server?.modelId ?? ''], {
      cwd: project,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    const result = JSON.parse(stdout) as { resolved: string; deltas: string[]; status: string; text: string };
    expect(result.resolved).toBe(`file://${join(project, 'node_modules/@ai-blocks/runtime/dist/index.js')}`);
    expect(result.status).toBe('complete');
    expect(result.text).toBe(TINY_MODEL_EXPECTED.chatReply);
    expect(result.deltas.length).toBeGreaterThan(1);
  });

  it('builds a minimal Vite app that imports the runtime and the three block elements', async () => {
    await writeFile(
      join(project, 'index.html'),
      '<!doctype html><title>outside</title><my-chat></my-chat><script type="module" src="./main.js"></script>',
    );
    await writeFile(
      join(project, 'main.js'),
      [
        "import { ENGINE_IDS, createOpenAICompatibleEngine, streamText } from '@ai-blocks/runtime';",
        "import AiTextBlock from '@ai-blocks/block-ai-text';",
        "import AiImageBlock from '@ai-blocks/block-ai-image';",
        "import AiChatBlock from '@ai-blocks/block-ai-chat';",
        "customElements.define('my-text', AiTextBlock);",
        "customElements.define('my-image', AiImageBlock);",
        "customElements.define('my-chat', AiChatBlock);",
        "document.title = `engines: ${ENGINE_IDS.join(', ')}`;",
        'export const ask = (baseURL, model) =>',
        '  streamText({ engine: createOpenAICompatibleEngine({ baseURL, model }), ' +
          "messages: [{ role: 'user', content: 'hi' }] });",
        'window.ask = ask;',
      ].join('\n'),
    );
    // Rolldown fails the build on any import it cannot resolve.
    await run(process.execPath, [join(rootDir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: project,
    });
    const html = await readFile(join(project, 'dist/index.html'), 'utf8');
    const entry = /src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, html).toBeDefined();
    const bundle = await readFile(join(project, 'dist', entry ?? ''), 'utf8');
    // The runtime's OpenAI-compatible request path and AI Chat's composer are in the bundle.
    expect(bundle).toContain('chat/completions');
    expect(bundle).toContain('Write a message');
  });

  it('type-checks a TypeScript consumer against its declarations', async () => {
    await writeFile(
      join(project, 'consumer.ts'),
      [
        "import { streamText, type TextOutcome } from '@ai-blocks/runtime';",
        'export const outcome: Promise<TextOutcome> = ' +
          'streamText({ engine: undefined as never, messages: [] }).outcome;',
        '// @ts-expect-error a misspelt option is refused',
        'streamText({ engine: undefined as never, mesages: [] });',
      ].join('\n'),
    );
    await run(
      process.execPath,
      [
        join(rootDir, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--lib',
        'es2023,dom',
        'consumer.ts',
      ],
      { cwd: project },
    );
  });
});
