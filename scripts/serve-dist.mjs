// `npm run serve:dist`: serves dist/ as it would be published — the blocks, the runtime assets and the
// type schemas — with CORS and the headers the runtime assets need, so a local HASH or any other host
// can load the blocks by URL. Prints the three block-metadata.json URLs. PORT (default 8787, the port
// the default types base URL names) and HOST (default 127.0.0.1) override.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const rootDir = new URL('..', import.meta.url).pathname;

const contentTypes = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  // WebAssembly.instantiateStreaming refuses any other type.
  '.wasm': 'application/wasm',
};

/** The content type of a file under dist/: type schemas (dist/types/…/v/<n>) have no extension. */
function contentTypeOf(relativePath) {
  const known = contentTypes[extname(relativePath)];
  if (known) return known;
  return relativePath.startsWith(`types${sep}`) ? 'application/json; charset=utf-8' : 'application/octet-stream';
}

/** Headers on every answer: any origin may read (CORS), and pages that are cross-origin isolated may embed. */
const sharedHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'range',
  'access-control-expose-headers': 'content-length',
  // A page with `Cross-Origin-Embedder-Policy: require-corp` (wllama's threads) loads only resources that say so.
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** The file under `root` that a URL path names, or undefined when it would leave `root`. */
function fileUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const path = normalize(join(root, decoded));
  return path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

/**
 * Serves `distDir` below `prefix` (default `/`; e.g. `/ai-blocks/` to publish dist/ below a path).
 * @returns {Promise<{ url: string, close(): Promise<void> }>} url: where dist/ is served, ending in `/`
 */
export function startDistServer({ distDir = join(rootDir, 'dist'), port = 0, host = '127.0.0.1', prefix = '/' } = {}) {
  const root = normalize(distDir);
  const server = createServer((request, response) => {
    const method = request.method ?? 'GET';
    if (method === 'OPTIONS') {
      response.writeHead(204, { ...sharedHeaders, 'access-control-max-age': '600' });
      response.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { ...sharedHeaders, allow: 'GET, HEAD, OPTIONS' });
      response.end();
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const path = pathname.startsWith(prefix) ? fileUnder(root, pathname.slice(prefix.length)) : undefined;
    const send = async () => {
      if (!path || !(await stat(path)).isFile()) throw new Error('not a file');
      const body = await readFile(path);
      response.writeHead(200, { ...sharedHeaders, 'content-type': contentTypeOf(path.slice(root.length + 1)) });
      response.end(method === 'HEAD' ? undefined : body);
    };
    send().catch(() => {
      if (response.headersSent) return void response.destroy();
      response.writeHead(404, { ...sharedHeaders, 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${urlHost}:${address.port}${prefix}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function main() {
  const distDir = join(rootDir, 'dist');
  const running = await startDistServer({
    distDir,
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST ?? '127.0.0.1',
  });
  console.log(`Serving ${distDir} at ${running.url} (CORS open to any origin)`);
  console.log('Block metadata URLs (add a block to a host by one of these):');
  for (const name of ['ai-text', 'ai-image', 'ai-chat']) {
    const metadataPath = join(distDir, 'blocks', name, 'block-metadata.json');
    try {
      const { schema } = JSON.parse(await readFile(metadataPath, 'utf8'));
      console.log(`  ${running.url}blocks/${name}/block-metadata.json`);
      if (!String(schema).startsWith(running.url)) {
        console.log(`    its types are built for ${schema} (AI_BLOCKS_TYPES_BASE_URL), not served here`);
      }
    } catch {
      console.log(`  ${name}: not built — run \`npm run build\` first`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
