import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseOrigins } from '../page/block-origins.js';
import { allowedHostValues, bindWarning, matchHost, refuseServiceRequest } from './request-guard.js';
import { callService, serviceConfigFromEnv, type ServiceErrorCode, type ServiceProxyConfig } from './service-proxy.js';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './isolation-headers.js';
import { injectAllowedBlockOrigins, readStatic, safeJoin } from './static-files.js';

export interface HostServerOptions {
  /** The build output: dist/host (the page) and dist/blocks (the blocks). */
  distDir: string;
  port?: number;
  host?: string;
  /** Service proxy configuration; defaults to the environment variables. */
  service?: ServiceProxyConfig;
  /**
   * Origins other than the page's own that the page may load block code from; defaults to
   * AI_BLOCKS_ALLOWED_BLOCK_ORIGINS. The page learns them from a `<meta>` tag in index.html.
   */
  allowedBlockOrigins?: readonly string[];
  /**
   * `Host` values to answer besides this machine's addresses (`name` or `name:port`); defaults to
   * AI_BLOCKS_ALLOWED_HOSTS.
   */
  allowedHosts?: readonly string[];
  /** Largest request body accepted, in bytes. Default 1 MB. */
  maxBodyBytes?: number;
  /** Where startup warnings go. Default: console.warn. */
  warn?: (line: string) => void;
}

export interface RunningHostServer {
  url: string;
  close(): Promise<void>;
}

/** A request the server refuses, with the status it answers. */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw new HttpRefusal(413, 'request body too large');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new HttpRefusal(413, 'request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(text);
}

function sendServiceError(response: ServerResponse, status: number, code: ServiceErrorCode, message: string): void {
  // A refused body may still be arriving: close rather than read the rest.
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ code, message }] }));
}

const ignore = () => {};

/**
 * The host's HTTP server: the page, the built blocks (with CORS, so a page on another origin
 * can load them too), POST /api/service/<method> for the service module's proxy (same-origin
 * JSON requests only), and GET /api/service/ saying whether an AI service is configured.
 * Only `Host` values naming this machine (or configured ones) are answered, so a DNS-rebound
 * name cannot reach it, and no request — however malformed — stops the process: each ends in
 * a 4xx (or a 500 for a fault of ours) and the server keeps serving.
 */
export function startHostServer(options: HostServerOptions): Promise<RunningHostServer> {
  const service = options.service ?? serviceConfigFromEnv(process.env);
  const warn =
    options.warn ??
    ((line: string) => {
      console.warn(line);
    });
  const configuredOrigins = parseOrigins(process.env['AI_BLOCKS_ALLOWED_BLOCK_ORIGINS'] ?? '');
  if (!options.allowedBlockOrigins && configuredOrigins.invalid.length) {
    warn(
      `AI_BLOCKS_ALLOWED_BLOCK_ORIGINS: ignored ${configuredOrigins.invalid.join(', ')} ` +
        '(each entry must be an http(s) origin such as https://blocks.example.com)',
    );
  }
  const blockOrigins = options.allowedBlockOrigins ?? configuredOrigins.origins;
  const extraHosts = options.allowedHosts ?? (process.env['AI_BLOCKS_ALLOWED_HOSTS'] ?? '').split(',');
  const bodyLimit = options.maxBodyBytes ?? 1_000_000;
  const boundHost = options.host ?? '127.0.0.1';
  let allowedHosts = new Set<string>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const host = matchHost(request.headers, allowedHosts);
    if (!host) {
      sendText(
        response,
        421,
        'This server answers only requests addressed to this machine ' +
          '(check the Host header, or AI_BLOCKS_ALLOWED_HOSTS).',
      );
      return;
    }
    const ownOrigin = `http://${host}`;
    const url = new URL(request.url ?? '/', ownOrigin);
    const method = request.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';

    if (url.pathname === '/api/service/' && method === 'GET') {
      // The page asks first: a host without an AI service does not offer the service module,
      // so blocks pick an in-browser model instead of failing on every call.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ configured: Boolean(service.baseUrl) }));
      return;
    }
    if (url.pathname.startsWith('/api/service/')) {
      if (method !== 'POST') {
        sendText(response, 405, 'Method not allowed', { allow: 'POST' });
        return;
      }
      const refusal = refuseServiceRequest(request.headers, ownOrigin);
      if (refusal) {
        sendServiceError(response, refusal.status, 'FORBIDDEN', refusal.message);
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(await readBody(request, bodyLimit));
      } catch (error) {
        if (error instanceof HttpRefusal)
          sendServiceError(
            response,
            error.status,
            'INVALID_INPUT',
            `The request body is larger than ${bodyLimit} bytes.`,
          );
        else sendServiceError(response, 400, 'INVALID_INPUT', 'The request body is not JSON.');
        return;
      }
      const result = await callService(url.pathname.slice('/api/service/'.length), payload, service);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result));
      return;
    }
    if (!readOnly) {
      sendText(response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    if (url.pathname.startsWith('/types/')) {
      // The type schemas the build wrote into dist/types/ at the paths of their `$id`s (no file extension).
      const schema = await readStatic(safeJoin(options.distDir, url.pathname));
      response.writeHead(schema ? 200 : 404, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      });
      response.end(method === 'HEAD' ? undefined : (schema?.body ?? JSON.stringify({ error: 'no such type' })));
      return;
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    const path =
      url.pathname.startsWith('/blocks/') || url.pathname.startsWith('/runtime-assets/')
        ? safeJoin(options.distDir, url.pathname)
        : safeJoin(join(options.distDir, 'host'), isPage ? '/index.html' : url.pathname);
    const file = await readStatic(path);
    if (!file) {
      sendText(response, 404, 'Not found');
      return;
    }
    const body = isPage ? Buffer.from(injectAllowedBlockOrigins(file.body.toString('utf8'), blockOrigins)) : file.body;
    response.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': 'no-cache',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      ...CROSS_ORIGIN_ISOLATION_HEADERS,
      'x-content-type-options': 'nosniff',
    });
    response.end(method === 'HEAD' ? undefined : body);
  };

  const server = createServer((request, response) => {
    // An aborted upload or a reset socket must not become an unhandled 'error' event.
    request.on('error', ignore);
    response.on('error', ignore);
    handle(request, response).catch((error: unknown) => {
      const malformed = error instanceof URIError || error instanceof TypeError;
      if (!malformed)
        warn(`host server: ${request.method ?? '?'} request failed: ${error instanceof Error ? error.name : 'error'}`);
      if (!response.headersSent)
        sendText(response, malformed ? 400 : 500, malformed ? 'Bad request' : 'Internal error', {
          connection: 'close',
        });
      else response.destroy();
    });
  });
  // Bounds on slow clients (Node's defaults are minutes).
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, boundHost, () => {
      const address = server.address() as AddressInfo;
      allowedHosts = allowedHostValues(boundHost, address.port, extraHosts);
      const warning = bindWarning(boundHost, address.port);
      if (warning) warn(warning);
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${urlHost}:${address.port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}
