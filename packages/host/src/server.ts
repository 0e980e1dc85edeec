import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

/** Static files the host serves: the built page and the built blocks. */
const distDir = new URL('../../../dist/', import.meta.url).pathname;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.gguf': 'application/octet-stream',
};

function resolvePath(urlPath: string): string | undefined {
  const path = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
  if (path.startsWith('/blocks/')) return join(distDir, path);
  return join(distDir, 'host', path === '/' ? 'index.html' : path);
}

const port = Number(process.env['PORT'] ?? 8787);
const hostname = process.env['HOST'] ?? '127.0.0.1';

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', `http://${hostname}`);
  const filePath = resolvePath(url.pathname);
  void (async () => {
    try {
      if (!filePath || !(await stat(filePath)).isFile()) throw new Error('not a file');
      const body = await readFile(filePath);
      response.writeHead(200, {
        'content-type': contentTypes[extname(filePath)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not found');
    }
  })();
});

server.listen(port, hostname, () => {
  console.log(`AI Blocks host running at http://${hostname}:${port}/`);
});
