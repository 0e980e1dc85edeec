import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBlocks } from '../../scripts/build-blocks.mjs';

// Block Protocol hosts (HASH, the WordPress plugin, the hub preview) fetch a block's source
// and evaluate it with new Function("require", "module", "exports", source).
describe('npm run build: blocks as hosts load them', () => {
  let outDir = '';
  let built: Awaited<ReturnType<typeof buildBlocks>> = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'ai-blocks-build-'));
    built = await buildBlocks({ outDir });
  }, 60_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds all three blocks', () => {
    expect(built.map((block) => block.name)).toEqual(['ai-chat', 'ai-image', 'ai-text']);
  });

  it('writes metadata whose source is a single CommonJS file that new Function accepts', async () => {
    for (const block of built) {
      const metadata = JSON.parse(await readFile(block.metadataPath, 'utf8')) as {
        source: string;
        version: string;
        blockType: { entryPoint: string; tagName: string };
      };
      const pkg = JSON.parse(
        await readFile(new URL(`../../blocks/${block.name}/package.json`, import.meta.url), 'utf8'),
      ) as { version: string };
      expect(metadata.version).toBe(pkg.version);
      expect(metadata.blockType.entryPoint).toBe('custom-element');
      const source = await readFile(join(outDir, 'blocks', block.name, metadata.source), 'utf8');
      expect(source).not.toMatch(/\bimport\.meta\b/);
      expect(source).not.toMatch(/^\s*(import|export)\s/m);
      // Parsing only: a SyntaxError here is what a host would hit.
      expect(() => new Function('require', 'module', 'exports', source)).not.toThrow();
      // The element class is the default export, as hosts read it (`exports.default`).
      expect(source).toMatch(/\bexports\.default\s*=/);
    }
  });

  it('fixes the runtime-asset base URL into a build for publishing; otherwise leaves it to the page', async () => {
    const published = await mkdtemp(join(tmpdir(), 'ai-blocks-build-published-'));
    try {
      const [block] = await buildBlocks({
        outDir: published,
        assetBaseUrl: 'https://assets.example.test/ai-blocks/runtime-assets/',
      });
      const source = await readFile(block?.sourcePath ?? '', 'utf8');
      expect(source).toContain('https://assets.example.test/ai-blocks/runtime-assets/');
      const plain = await readFile(built[0]?.sourcePath ?? '', 'utf8');
      expect(plain).not.toContain('assets.example.test');
      expect(plain).toContain('/runtime-assets/');
    } finally {
      await rm(published, { recursive: true, force: true });
    }
  }, 60_000);
});
