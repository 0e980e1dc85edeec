import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { allTypeSchemas } from '@ai-blocks/block-metadata';
import { callService, serviceConfigFromEnv, type ServiceProxyConfig } from './service-proxy.js';
import { readStatic, safeJoin } from './static-files.js';

export interface HostServerOptions {
  /** The build output: dist/host (the page) and dist/blocks (the blocks). */
  distDir: string;
  port?: number;
  host?: string;
  /** Service proxy configuration; defaults to the environment variables. */
  service?: ServiceProxyConfig;
}

export interface RunningHostServer {
  url: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage, limit = 1_000_000): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The host's HTTP server: the page, the built blocks (with CORS, so a page on another origin
 * can load them too), POST /api/service/<method> for the service module's proxy, and
 * GET /api/service/ saying whether an AI service is configured.
 */
export function startHostServer(options: HostServerOptions): Promise<RunningHostServer> {
  const service = options.service ?? serviceConfigFromEnv(process.env);
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://host.invalid');
      if (url.pathname === '/api/service/' && request.method === 'GET') {
        // The page asks first: a host without an AI service does not offer the service module,
        // so blocks pick an in-browser model instead of failing on every call.
        response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        response.end(JSON.stringify({ configured: Boolean(service.baseUrl) }));
        return;
      }
      if (url.pathname.startsWith('/api/service/') && request.method === 'POST') {
        const method = url.pathname.slice('/api/service/'.length);
        let payload: unknown;
        try {
          payload = JSON.parse(await readBody(request));
        } catch {
          payload = undefined;
        }
        const result = await callService(method, payload, service);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(result));
        return;
      }
      if (url.pathname.startsWith('/types/') && request.method === 'GET') {
        // Type schemas built for a base URL on this host resolve here.
        const origin = `http://${request.headers.host ?? 'localhost'}`;
        const schema = allTypeSchemas(`${origin}/types/`).find((candidate) => new URL(candidate.$id).pathname === url.pathname);
        response.writeHead(schema ? 200 : 404, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        response.end(JSON.stringify(schema ?? { error: 'no such type' }));
        return;
      }
      const path = url.pathname.startsWith('/blocks/') || url.pathname.startsWith('/runtime-assets/')
        ? safeJoin(options.distDir, url.pathname)
        : safeJoin(join(options.distDir, 'host'), url.pathname === '/' ? '/index.html' : url.pathname);
      const file = await readStatic(path);
      if (!file) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not found');
        return;
      }
      response.writeHead(200, {
        'content-type': file.contentType,
        'cache-control': 'no-cache',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      });
      response.end(file.body);
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${address.address}:${address.port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => { done(); });
          }),
      });
    });
  });
}
