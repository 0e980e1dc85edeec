import { ALLOWED_BLOCK_ORIGINS_META, assertBlockOrigin, parseOrigins } from './block-origins.js';

/** What a built block's block-metadata.json says about how to load it. */
export interface LoadedBlock {
  tagName: string;
  elementClass: CustomElementConstructor;
  metadata: { name: string; displayName?: string; blockType: { tagName: string }; source: string };
}

export interface LoadBlockOptions {
  /**
   * Origins block code may come from; default: the page's own and those the server listed ({@link pageBlockOrigins}).
   */
  allowedOrigins?: readonly string[];
  fetch?: typeof fetch;
}

/**
 * The page's own origin plus the origins the host server put in the page's `<meta
 * name="ai-blocks-allowed-block-origins">`.
 */
export function pageBlockOrigins(): string[] {
  const listed =
    document.head.querySelector<HTMLMetaElement>(`meta[name="${ALLOWED_BLOCK_ORIGINS_META}"]`)?.content ?? '';
  return [location.origin, ...parseOrigins(listed).origins];
}

/**
 * Loads a block exactly the way HASH does: fetch the metadata, fetch `source`, evaluate it as
 * CommonJS with `new Function`, and define the element under the metadata's tag name
 * (renaming on a clash with a different class). The code runs with the page's rights, so the
 * metadata, the source and where either was redirected to must be on an allowed origin
 * (a BlockOriginError otherwise, before anything of it runs).
 */
export async function loadBlock(metadataUrl: string, options: LoadBlockOptions = {}): Promise<LoadedBlock> {
  const allowed = options.allowedOrigins ?? pageBlockOrigins();
  const load = options.fetch ?? fetch;
  assertBlockOrigin(metadataUrl, allowed);
  const metadataResponse = await load(metadataUrl);
  assertBlockOrigin(metadataResponse.url || metadataUrl, allowed);
  if (!metadataResponse.ok) throw new Error(`${metadataUrl}: HTTP ${metadataResponse.status}`);
  const metadata = (await metadataResponse.json()) as LoadedBlock['metadata'];
  const sourceUrl = new URL(metadata.source, metadataResponse.url || metadataUrl).href;
  assertBlockOrigin(sourceUrl, allowed);
  const sourceResponse = await load(sourceUrl);
  assertBlockOrigin(sourceResponse.url || sourceUrl, allowed);
  if (!sourceResponse.ok) throw new Error(`${sourceUrl}: HTTP ${sourceResponse.status}`);
  const source = await sourceResponse.text();
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string) => {
    throw new Error(`Block ${metadata.name} required "${name}", which this host does not provide`);
  };
  // This is how Block Protocol hosts load a block's CommonJS source.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const evaluate = new Function('require', 'module', 'exports', source) as (
    require: (name: string) => never,
    module: { exports: Record<string, unknown> },
    exports: Record<string, unknown>,
  ) => void;
  evaluate(require, module, module.exports);
  const exported = module.exports['default'] ?? Object.values(module.exports)[0];
  if (typeof exported !== 'function') throw new Error(`Block ${metadata.name} exports no element class`);
  const elementClass = exported as CustomElementConstructor;
  return { tagName: defineElement(metadata.blockType.tagName, elementClass), elementClass, metadata };
}

function defineElement(tagName: string, elementClass: CustomElementConstructor): string {
  let name = tagName;
  for (let suffix = 1; ; suffix += 1) {
    const existing = customElements.get(name);
    if (existing === elementClass) return name;
    if (!existing) {
      customElements.define(name, elementClass);
      return name;
    }
    name = `${tagName}${suffix}`;
  }
}
