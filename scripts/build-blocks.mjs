// Builds each block the way Block Protocol hosts load it (docs/architecture.md, "Shipping"): one CommonJS file
// with Lit bundled in, the element class as default export, no import.meta, plus its
// block-metadata.json with the version filled in and `source` naming that file.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const rootDir = new URL('..', import.meta.url).pathname;

/**
 * In a main file, a runtime module `x.ts` with a sibling `x.main-file.ts` is built from that
 * sibling instead: how the local engines' implementation becomes a runtime asset imported on
 * demand (the import-*.main-file.ts loaders in shared-runtime/src) while tests and source imports
 * get the module itself.
 */
export const mainFileVariants = {
  name: 'main-file-variants',
  setup(build) {
    const runtimeSource = join(rootDir, 'shared-runtime', 'src');
    build.onResolve({ filter: /^\.{1,2}\/.*\.js$/ }, (args) => {
      if (!args.resolveDir.startsWith(runtimeSource)) return undefined;
      const variant = join(args.resolveDir, args.path.replace(/\.js$/, '.main-file.ts'));
      return existsSync(variant) ? { path: variant } : undefined;
    });
  },
};

/** The block folder names under blocks/, e.g. ["ai-chat", "ai-image", "ai-text"]. */
export async function listBlocks() {
  const entries = await readdir(join(rootDir, 'blocks'), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Builds one block into `<outDir>/blocks/<name>/`.
 * @returns {Promise<{ name: string, metadataPath: string, sourcePath: string, bytes: number }>}
 */
/**
 * Builds one block. `assetBaseUrl` (default: $AI_BLOCKS_ASSET_BASE_URL) is where the published
 * runtime assets live; it is fixed into the build, so a block loaded by HASH or the hub finds
 * them. Without it the block looks for `/runtime-assets/` on the embedding page's origin (as
 * `npm start`'s host serves them); a host can still override either at run time.
 */
export async function buildBlock(
  name,
  { outDir = join(rootDir, 'dist'), minify = true, assetBaseUrl = process.env.AI_BLOCKS_ASSET_BASE_URL } = {},
) {
  const blockDir = join(rootDir, 'blocks', name);
  const target = join(outDir, 'blocks', name);
  await mkdir(target, { recursive: true });
  const pkg = JSON.parse(await readFile(join(blockDir, 'package.json'), 'utf8'));
  const metadata = JSON.parse(await readFile(join(rootDir, 'block-metadata', name, 'block-metadata.json'), 'utf8'));
  const sourceFile = 'main.js';
  const result = await build({
    entryPoints: [join(blockDir, 'src', 'index.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    minify,
    legalComments: 'eof',
    conditions: ['browser', 'production'],
    define: {
      'process.env.NODE_ENV': '"production"',
      ...(assetBaseUrl ? { __AI_BLOCKS_ASSET_BASE__: JSON.stringify(new URL(assetBaseUrl).href) } : {}),
    },
    outfile: join(target, sourceFile),
    metafile: true,
    plugins: [mainFileVariants],
    logLevel: 'warning',
  });
  const sourcePath = join(target, sourceFile);
  const source = await readFile(sourcePath, 'utf8');
  // A host evaluates the file inside new Function(...), where import.meta is a SyntaxError.
  if (/\bimport\.meta\b/.test(source)) {
    throw new Error(`${name}: the built source mentions import.meta, which breaks new Function() loading`);
  }
  // Icon and preview image paths are relative to the metadata: ship them beside it.
  for (const asset of new Set([metadata.icon, metadata.image])) {
    if (asset && !/^[a-z]+:/i.test(asset)) {
      await copyFile(join(rootDir, 'block-metadata', name, asset), join(target, asset));
    }
  }
  const metadataPath = join(target, 'block-metadata.json');
  await writeFile(
    metadataPath,
    `${JSON.stringify({ ...metadata, version: pkg.version, source: sourceFile }, null, 2)}\n`,
  );
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return { name, metadataPath, sourcePath, bytes };
}

/** Builds every block. */
export async function buildBlocks(options = {}) {
  const results = [];
  for (const name of await listBlocks()) results.push(await buildBlock(name, options));
  return results;
}
