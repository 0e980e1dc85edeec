import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.gguf': 'application/octet-stream',
};

/** The file under `root` that a URL path names, or undefined when it would leave `root` or is not a valid escape. */
export function safeJoin(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // URIError: a malformed %-escape names no file
  }
  if (decoded.includes('\0')) return undefined;
  const path = normalize(join(root, decoded));
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

/** Reads a static file; undefined when there is none. */
export async function readStatic(path: string | undefined): Promise<{ body: Buffer; contentType: string } | undefined> {
  if (!path) return undefined;
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return { body: await readFile(path), contentType: contentTypes[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writes the origins the page may load blocks from (besides its own) into the page's
 * `<meta name="ai-blocks-allowed-block-origins">` (index.html carries it empty), so the page
 * knows them before it loads anything.
 */
export function injectAllowedBlockOrigins(html: string, origins: readonly string[]): string {
  return html.replace(
    /<meta name="ai-blocks-allowed-block-origins" content="[^"]*"\s*\/?>/,
    `<meta name="ai-blocks-allowed-block-origins" content="${escapeAttribute(origins.join(' '))}" />`,
  );
}
