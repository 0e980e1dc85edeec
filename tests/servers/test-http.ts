// What the test servers (fault server, recording server) share: open CORS, JSON answers, and
// reading a request whose first path segment names the test's scenario or session.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'retry-after, retry-after-ms',
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
  response.end(JSON.stringify(body));
}

/** A request as the test servers see it: `/<scope>/<path>` and its body. */
export interface ScopedRequest {
  /** The first path segment: a scenario or a test's session. */
  scope: string;
  /** The rest of the path, from its `/`. */
  path: string;
  raw: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: Record<string, unknown> | undefined;
}

/**
 * Answers a CORS preflight (returns undefined: nothing more to do), or reads the request's
 * scope, path and body.
 */
export async function readScopedRequest(
  request: IncomingMessage,
  response: ServerResponse,
): Promise<ScopedRequest | undefined> {
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { ...CORS, 'access-control-max-age': '600' });
    response.end();
    return undefined;
  }
  const url = new URL(request.url ?? '/', 'http://test.invalid');
  const [, scope = '', ...rest] = url.pathname.split('/');
  let raw = '';
  for await (const piece of request) raw += (piece as Buffer).toString();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(raw || '{}') as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { scope, path: `/${rest.join('/')}`, raw, body };
}
