// `npm run dev` (scripts/dev.mjs): the host page and the three blocks from their TypeScript sources, with
// Vite's module reloading. The page loads each block from source (packages/host/src/dev/) instead of
// its built main file; the API, the types, the block metadata and the runtime assets come from the
// host server that scripts/dev.mjs starts beside it (the proxy it adds to this config).
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { mainFileVariants } from './scripts/vite-block-config.mjs';
import { SOURCE_CONDITION } from './workspace-conditions.mjs';

const pageDir = fileURLToPath(new URL('packages/host/src/page/', import.meta.url));
const devLoader = fileURLToPath(new URL('packages/host/src/dev/load-block-from-source.ts', import.meta.url));

/** The page's built-block loader swapped for the source loader, and index.html pointed at main.ts. */
function blocksFromSource() {
  return {
    name: 'ai-blocks-blocks-from-source',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === './load-block.js' && importer?.startsWith(pageDir) ? devLoader : null;
    },
    // Before Vite reads the page's scripts.
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace('src="./host.js"', 'src="./main.ts"'),
    },
  };
}

export default defineConfig({
  root: pageDir,
  publicDir: false,
  envDir: false,
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  // The local engines' implementations load from the runtime assets, as in the built blocks.
  plugins: [mainFileVariants(), blocksFromSource()],
  server: {
    port: Number(process.env['PORT'] ?? 8787),
    host: process.env['HOST'] ?? '127.0.0.1',
    strictPort: true,
  },
});
