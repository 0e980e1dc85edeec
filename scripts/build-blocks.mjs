// Builds each block (with Vite) the way Block Protocol hosts load it (docs/architecture.md, "Shipping"): one CommonJS
// file with Lit bundled in, the element class as default export, no import.meta, plus its block-metadata.json with the
// version filled in and `source` naming that file.
import { build } from 'vite';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rebaseMetadata, typesBaseUrl } from './build-types.mjs';
import { singleFileConfig } from './vite-block-config.mjs';

export const rootDir = new URL('..', import.meta.url).pathname;

/** The block folder names under blocks/, e.g. ["ai-chat", "ai-image", "ai-text"]. */
export async function listBlocks() {
  const entries = await readdir(join(rootDir, 'blocks'), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Writes a block's block-metadata.json into `<outDir>/blocks/<name>/` for a types base URL (its
 * `schema` and example keys rebased), with `version` from the block's package.json and `source`
 * naming the main file, and copies its icon and preview image beside it.
 * @returns {Promise<string>} the metadata file's path
 */
export async function writeBlockMetadata(name, { outDir = join(rootDir, 'dist'), typesBaseUrl: configured } = {}) {
  const target = join(outDir, 'blocks', name);
  await mkdir(target, { recursive: true });
  const pkg = JSON.parse(await readFile(join(rootDir, 'blocks', name, 'package.json'), 'utf8'));
  const metadata = await rebaseMetadata(
    JSON.parse(await readFile(join(rootDir, 'block-metadata', name, 'block-metadata.json'), 'utf8')),
    await typesBaseUrl(configured),
  );
  // Icon and preview image paths are relative to the metadata: ship them beside it.
  for (const asset of new Set([metadata.icon, metadata.image])) {
    if (asset && !/^[a-z]+:/i.test(asset)) {
      await copyFile(join(rootDir, 'block-metadata', name, asset), join(target, asset));
    }
  }
  // `repository` (a Block Protocol metadata field) from the project's package.json, naming the block's folder.
  const root = JSON.parse(await readFile(join(rootDir, 'package.json'), 'utf8'));
  const repositoryUrl = typeof root.repository === 'string' ? root.repository : root.repository?.url;
  const repository = repositoryUrl ? { type: 'git', url: repositoryUrl, directory: `blocks/${name}` } : undefined;
  const metadataPath = join(target, 'block-metadata.json');
  const written = { ...metadata, ...(repository ? { repository } : {}), version: pkg.version, source: MAIN_FILE };
  await writeFile(metadataPath, `${JSON.stringify(written, null, 2)}\n`);
  return metadataPath;
}

const MAIN_FILE = 'main.js';

/**
 * Builds one block into `<outDir>/blocks/<name>/`: its main file and its metadata.
 * `assetBaseUrl` (default: $AI_BLOCKS_ASSET_BASE_URL) is where the published runtime assets
 * live; it is fixed into the build, so a block loaded by HASH or the hub finds them. Without it
 * the block looks for `/runtime-assets/` on the embedding page's origin (as `npm start`'s host
 * serves them); a host can still override either at run time. `typesBaseUrl` (default:
 * $AI_BLOCKS_TYPES_BASE_URL, else the local one) is the base of the types the block writes.
 * @returns {Promise<{ name: string, metadataPath: string, sourcePath: string, bytes: number }>}
 */
export async function buildBlock(
  name,
  {
    outDir = join(rootDir, 'dist'),
    minify = true,
    assetBaseUrl = process.env.AI_BLOCKS_ASSET_BASE_URL,
    typesBaseUrl: configuredTypesBase,
  } = {},
) {
  const typesBase = await typesBaseUrl(configuredTypesBase);
  const target = join(outDir, 'blocks', name);
  await mkdir(target, { recursive: true });
  // Vite library mode (scripts/vite-block-config.mjs): one CommonJS file, the runtime modules swapped for
  // their *.main-file.ts loaders.
  await build(
    singleFileConfig({
      entry: join(rootDir, 'blocks', name, 'src', 'index.ts'),
      outDir: target,
      fileName: MAIN_FILE,
      format: 'cjs',
      minify,
      define: {
        __AI_BLOCKS_TYPES_BASE__: JSON.stringify(typesBase),
        ...(assetBaseUrl ? { __AI_BLOCKS_ASSET_BASE__: JSON.stringify(new URL(assetBaseUrl).href) } : {}),
      },
    }),
  );
  const sourcePath = join(target, MAIN_FILE);
  const source = await readFile(sourcePath, 'utf8');
  // A host evaluates the file inside new Function(...), where import.meta is a SyntaxError.
  if (/\bimport\.meta\b/.test(source)) {
    throw new Error(`${name}: the built source mentions import.meta, which breaks new Function() loading`);
  }
  const metadataPath = await writeBlockMetadata(name, { outDir, typesBaseUrl: typesBase });
  const bytes = Buffer.byteLength(source);
  return { name, metadataPath, sourcePath, bytes };
}

/** Builds every block. */
export async function buildBlocks(options = {}) {
  const results = [];
  for (const name of await listBlocks()) results.push(await buildBlock(name, options));
  return results;
}
