import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// Runs after `npm run build` (its own step in scripts/test.mjs, config vitest.budgets.config.ts):
// it measures the files the build wrote, the ones a host downloads.
const distBlocks = new URL('../../dist/blocks/', import.meta.url).pathname;
const BLOCKS = ['ai-chat', 'ai-image', 'ai-text'] as const;

/** Each block's main file, gzipped, in bytes (60 KiB; README: "≤ 60 KB gzipped"). */
const MAIN_FILE_BUDGET_GZIP_BYTES = 60 * 1024;

async function mainFile(block: string): Promise<string> {
  const metadataPath = join(distBlocks, block, 'block-metadata.json');
  if (!existsSync(metadataPath)) {
    throw new Error(
      `${metadataPath} is missing: run \`npm run build\` before the size budgets (scripts/test.mjs builds first).`,
    );
  }
  const metadata = JSON.parse(await readFile(metadataPath, 'utf8')) as { source?: unknown };
  if (typeof metadata.source !== 'string') throw new Error(`${metadataPath} names no source file`);
  return join(distBlocks, block, metadata.source);
}

describe('size budgets of the built blocks', () => {
  it.each(BLOCKS)('%s: the main file is within 60 KB gzipped', async (block) => {
    const source = await readFile(await mainFile(block));
    const gzipped = gzipSync(source).length;
    console.log(
      `${block}: ${(source.length / 1024).toFixed(1)} KiB, ${(gzipped / 1024).toFixed(1)} KiB gzipped ` +
        `(budget ${String(MAIN_FILE_BUDGET_GZIP_BYTES / 1024)} KiB)`,
    );
    expect(gzipped, `${block} main file, gzipped bytes`).toBeLessThanOrEqual(MAIN_FILE_BUDGET_GZIP_BYTES);
  });
});
