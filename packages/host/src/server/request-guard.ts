import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';

/** Host names that always mean "this machine" (a page on them is the developer's own). */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]';

/** How a host name appears in a `Host` header (IPv6 literals in brackets). */
function headerName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/**
 * The `Host` header values the server answers: the loopback names and the bound address with
 * its port, every interface address when bound to all of them, and the configured extras
 * (`name` or `name:port`). Anything else — e.g. an attacker's domain re-bound to 127.0.0.1 —
 * is refused, so a page on another site can never read this server's answers.
 */
export function allowedHostValues(boundHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (isWildcard(boundHost)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(headerName(address.address));
    }
  } else {
    names.add(headerName(boundHost));
  }
  const values = new Set<string>();
  for (const name of names) {
    values.add(`${name}:${port}`);
    if (port === 80) values.add(name);
  }
  for (const entry of extra) {
    const trimmed = entry.trim().toLowerCase();
    if (!trimmed) continue;
    values.add(/:\d+$/.test(trimmed) ? trimmed : `${headerName(trimmed)}:${port}`);
  }
  return values;
}

/** The allowed value the request's `Host` names, or undefined (missing, repeated or not allowed). */
export function matchHost(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): string | undefined {
  const host = headers.host;
  if (typeof host !== 'string') return undefined;
  const value = host.toLowerCase();
  return allowed.has(value) ? value : undefined;
}

export type ServiceRefusal = { status: 403 | 415; message: string };

/**
 * Only the host page itself may call the service proxy: a browser marks a cross-site request
 * with `Origin`/`Sec-Fetch-Site`, and requiring `application/json` forces a CORS preflight
 * (which this server never grants) on any cross-site `fetch` or form.
 */
export function refuseServiceRequest(headers: IncomingHttpHeaders, ownOrigin: string): ServiceRefusal | undefined {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin')
    return {
      status: 403,
      message: 'The AI service proxy answers only the host page itself (this request came from another site).',
    };
  const origin = headers.origin;
  if (origin !== undefined && origin !== ownOrigin)
    return {
      status: 403,
      message: 'The AI service proxy answers only the host page itself (this request came from another origin).',
    };
  const contentType = headers['content-type'];
  const mediaType = typeof contentType === 'string' ? contentType.split(';')[0]?.trim().toLowerCase() : undefined;
  if (mediaType !== 'application/json')
    return { status: 415, message: 'The AI service proxy accepts only content-type: application/json.' };
  return undefined;
}

/** What `npm start` prints when the server is reachable from other machines; undefined on loopback. */
export function bindWarning(host: string, port: number): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  return (
    `Warning: the host server listens on ${host}:${port}, so other machines on the network can reach it ` +
    '(the page, the blocks and the AI service proxy, which spends the server’s API key). ' +
    'It answers only Host headers naming this machine’s addresses or AI_BLOCKS_ALLOWED_HOSTS; ' +
    'use HOST=127.0.0.1 unless you need this.'
  );
}
