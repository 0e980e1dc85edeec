// URLs from the graph or from a model are untrusted: one rule decides which may reach the DOM.

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);
const IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|gif|webp)(?:;[a-z0-9=._+-]*)*,/i;

function parse(url: unknown, base?: string): URL | undefined {
  if (typeof url !== 'string' || url.length === 0) return undefined;
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

function isLoopback(url: URL): boolean {
  return (
    LOOPBACK_HOSTS.has(url.hostname) ||
    url.hostname.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(url.hostname)
  );
}

/**
 * The URL an `<img src>` (or a download) may use, or `undefined` when it is refused: `https:`,
 * `http:` on loopback only (a local host or dev server), `blob:`, and `data:` PNG/JPEG/GIF/WebP.
 * Everything else — `javascript:`, `vbscript:`, other `data:` types (SVG, HTML), `file:`,
 * remote `http:`, URLs with credentials — is refused. A relative URL resolves against `base`
 * (the page, in a browser) and is kept when it stays on the page's origin. Returns the parsed,
 * normalised form, so what is bound is exactly what was checked.
 */
export function safeImageUrl(
  url: unknown,
  base: string | undefined = typeof location === 'undefined' ? undefined : location.href,
): string | undefined {
  const parsed = parse(url, base);
  if (!parsed || parsed.username || parsed.password) return undefined;
  switch (parsed.protocol) {
    case 'https:':
      return parsed.href;
    case 'http:':
      return isLoopback(parsed) || (base !== undefined && parsed.origin === new URL(base).origin)
        ? parsed.href
        : undefined;
    case 'blob:':
      return parsed.href;
    case 'data:':
      return IMAGE_DATA_URL.test(parsed.href) ? parsed.href : undefined;
    default:
      return undefined;
  }
}

/**
 * The URL a link (`<a href>`) in model output may point to, or `undefined`: `https:`, `http:`
 * and `mailto:`. Wider than images because a link loads nothing by itself: it is followed only
 * on a click, in a new tab without opener or referrer. Never `javascript:`, `data:` or `blob:`.
 */
export function safeLinkUrl(url: unknown): string | undefined {
  const parsed = parse(url);
  if (!parsed || parsed.username || parsed.password) return undefined;
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:'
    ? parsed.href
    : undefined;
}
