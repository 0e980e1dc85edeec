import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The Block Protocol package conventions each block keeps: its metadata's icon and preview image
// (3:2, at least 900×600), the `blockprotocol` key in its package.json, and a README.
const root = new URL('../../', import.meta.url);
const BLOCKS = ['ai-text', 'ai-image', 'ai-chat'] as const;

interface Metadata {
  name: string;
  displayName: string;
  protocol: string;
  blockType: { entryPoint: string; tagName: string };
  schema: string;
  icon: string;
  image: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.each(BLOCKS)('%s block package conventions', (block) => {
  const read = async (path: string) => readFile(new URL(path, root));

  it('ships an icon and a 3:2 preview image of at least 900×600', async () => {
    const metadata = JSON.parse((await read(`block-metadata/${block}/block-metadata.json`)).toString()) as Metadata;
    expect(existsSync(new URL(`block-metadata/${block}/${metadata.icon}`, root))).toBe(true);
    expect(metadata.image).toMatch(/\.png$/);
    const { width, height } = pngSize(await read(`block-metadata/${block}/${metadata.image}`));
    expect(width).toBeGreaterThanOrEqual(900);
    expect(height).toBeGreaterThanOrEqual(600);
    expect(width * 2).toBe(height * 3);
  });

  it('has the blockprotocol key in its package.json, agreeing with its metadata', async () => {
    const metadata = JSON.parse((await read(`block-metadata/${block}/block-metadata.json`)).toString()) as Metadata;
    const pkg = JSON.parse((await read(`blocks/${block}/package.json`)).toString()) as {
      blockprotocol?: Record<string, unknown>;
    };
    expect(pkg.blockprotocol).toEqual({
      name: metadata.name,
      displayName: metadata.displayName,
      protocol: metadata.protocol,
      blockType: metadata.blockType,
      blockEntityType: metadata.schema,
    });
  });

  it('has a README saying what it does, its engines and what it stores', async () => {
    const readme = (await read(`blocks/${block}/README.md`)).toString();
    expect(readme).toMatch(/^# /);
    expect(readme).toMatch(/## Engines/);
    expect(readme).toMatch(/## What it stores/);
  });
});
