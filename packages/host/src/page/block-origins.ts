// Where the host may load block code from. Block code runs in the host's origin (it can read
// the IndexedDB store and call the service proxy with the server's key), so only the page's
// own origin and the origins the server's operator listed are trusted. Shared by the page and
// the server (which tells the page its list through a <meta> tag); no DOM or Node APIs here.

/** The `<meta name>` through which the host server tells the page the other origins allowed to serve blocks. */
export const ALLOWED_BLOCK_ORIGINS_META = 'ai-blocks-allowed-block-origins';

/** Parses a comma- or space-separated list of http(s) origins (a trailing `/` is fine); `invalid` lists the rest. */
export function parseOrigins(list: string): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const entry of list.split(/[\s,]+/).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const bare =
      url &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash;
    if (url && bare) origins.push(url.origin);
    else invalid.push(entry);
  }
  return { origins, invalid };
}

/** The origin of `url`, or undefined when it is not an absolute http(s) URL. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Refused block code: the message says which origin and how an operator allows it. */
export class BlockOriginError extends Error {
  override readonly name = 'BlockOriginError';
  constructor(
    readonly url: string,
    readonly allowed: readonly string[],
  ) {
    const origin = originOf(url) ?? url;
    const from = allowed.join(', ') || 'its own origin';
    super(
      `Blocks from ${origin} are not loaded: this host runs block code only from ${from}. ` +
        `To allow it, start the host server with AI_BLOCKS_ALLOWED_BLOCK_ORIGINS=${origin}.`,
    );
  }
}

/** Throws a BlockOriginError unless `url` is on one of the `allowed` origins. */
export function assertBlockOrigin(url: string, allowed: readonly string[]): void {
  const origin = originOf(url);
  if (origin === undefined || !allowed.includes(origin)) throw new BlockOriginError(url, allowed);
}
