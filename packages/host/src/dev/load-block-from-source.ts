/**
 * `npm run dev` only (vite.config.mjs puts it in place of ../page/load-block.ts): loads a block from its
 * TypeScript source as an ES module, through Vite, instead of evaluating its built CommonJS main file.
 * A change in a block's source then reloads the page with the change, without a rebuild. It reads the
 * block's metadata as the built loader does, so tag names and metadata stay the same.
 */
import type { LoadBlockOptions, LoadedBlock } from '../page/load-block.js';

export { pageBlockOrigins } from '../page/load-block.js';

/** The block sources, by block-metadata `name`. */
const sources: Record<string, () => Promise<{ default: CustomElementConstructor }>> = {
  '@ai-blocks/ai-text': () => import('@ai-blocks/block-ai-text'),
  '@ai-blocks/ai-image': () => import('@ai-blocks/block-ai-image'),
  '@ai-blocks/ai-chat': () => import('@ai-blocks/block-ai-chat'),
};

export async function loadBlock(metadataUrl: string, options: LoadBlockOptions = {}): Promise<LoadedBlock> {
  const response = await (options.fetch ?? fetch)(metadataUrl);
  if (!response.ok) throw new Error(`${metadataUrl}: HTTP ${String(response.status)}`);
  const metadata = (await response.json()) as LoadedBlock['metadata'];
  const source = sources[metadata.name];
  if (!source) throw new Error(`${metadata.name}: no source for this block in the dev server`);
  const elementClass = (await source()).default;
  const tagName = metadata.blockType.tagName;
  if (!customElements.get(tagName)) customElements.define(tagName, elementClass);
  return { tagName, elementClass, metadata };
}
