/** What a built block's block-metadata.json says about how to load it. */
export interface LoadedBlock {
  tagName: string;
  elementClass: CustomElementConstructor;
  metadata: { name: string; displayName?: string; blockType: { tagName: string }; source: string };
}

/**
 * Loads a block exactly the way HASH does: fetch the metadata, fetch `source`, evaluate it as
 * CommonJS with `new Function`, and define the element under the metadata's tag name
 * (renaming on a clash with a different class).
 */
export async function loadBlock(metadataUrl: string): Promise<LoadedBlock> {
  const metadataResponse = await fetch(metadataUrl);
  if (!metadataResponse.ok) throw new Error(`${metadataUrl}: HTTP ${metadataResponse.status}`);
  const metadata = (await metadataResponse.json()) as LoadedBlock['metadata'];
  const sourceUrl = new URL(metadata.source, new URL(metadataUrl, location.href)).href;
  const sourceResponse = await fetch(sourceUrl);
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
