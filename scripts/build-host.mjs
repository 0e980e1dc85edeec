// Bundles the embedding host's page (an ES module) into dist/host/.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rootDir } from './build-blocks.mjs';

export async function buildHost({ outDir = join(rootDir, 'dist') } = {}) {
  const target = join(outDir, 'host');
  await mkdir(target, { recursive: true });
  await build({
    entryPoints: [join(rootDir, 'packages/host/src/page/main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    conditions: ['browser', 'development'],
    outfile: join(target, 'host.js'),
    logLevel: 'warning',
  });
  await copyFile(join(rootDir, 'packages/host/src/page/index.html'), join(target, 'index.html'));
}
