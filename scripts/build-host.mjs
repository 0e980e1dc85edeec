// Bundles the embedding host's page (an ES module, with Vite) into dist/host/.
import { build } from 'vite';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rootDir } from './build-blocks.mjs';
import { typesBaseUrl } from './build-types.mjs';
import { singleFileConfig } from './vite-block-config.mjs';

export async function buildHost({ outDir = join(rootDir, 'dist'), typesBaseUrl: configuredTypesBase } = {}) {
  const target = join(outDir, 'host');
  await mkdir(target, { recursive: true });
  await build(
    singleFileConfig({
      entry: join(rootDir, 'packages/host/src/page/main.ts'),
      outDir: target,
      fileName: 'host.js',
      format: 'es',
      variants: false,
      development: true,
      // The page creates block entities of the types the blocks were built for.
      define: { __AI_BLOCKS_TYPES_BASE__: JSON.stringify(await typesBaseUrl(configuredTypesBase)) },
    }),
  );
  await copyFile(join(rootDir, 'packages/host/src/page/index.html'), join(target, 'index.html'));
}
