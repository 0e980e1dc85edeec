// `npm run dev`: the host page with the three blocks from their sources and Vite's hot reload, on
// http://127.0.0.1:8787/ (PORT, HOST override). Behind it, the host server (the AI service proxy, the
// type schemas, the block metadata and the runtime assets from dist/) on a free port; this writes
// what it serves first. A change in a block's source reloads the page with it, no rebuild needed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { startHostServer } from '../packages/host/src/server/host-server.ts';
import { listBlocks, rootDir, writeBlockMetadata } from './build-blocks.mjs';
import { buildRuntimeAssets } from './build-runtime-assets.mjs';
import { buildTypes } from './build-types.mjs';

const distDir = join(rootDir, 'dist');
for (const name of await listBlocks()) await writeBlockMetadata(name);
await buildTypes();
if (!existsSync(join(distDir, 'runtime-assets', 'engines'))) await buildRuntimeAssets();

const host = await startHostServer({ distDir, port: 0 });
const backend = host.url.replace(/\/$/, '');
const proxied = { target: backend, changeOrigin: true };
const vite = await createServer({
  configFile: join(rootDir, 'vite.config.mjs'),
  server: {
    proxy: {
      // The service proxy answers same-origin requests only: the page's origin is the dev server's.
      '/api/': {
        ...proxied,
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => {
            if (request.getHeader('origin')) request.setHeader('origin', backend);
          });
        },
      },
      '/types/': proxied,
      '/blocks/': proxied,
      '/runtime-assets/': proxied,
    },
  },
});
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? '';
console.log(`AI Blocks dev server (blocks from source, hot reload) at ${url}`);
console.log(`  host server behind it: ${host.url}`);

const stop = async () => {
  await vite.close();
  await host.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
