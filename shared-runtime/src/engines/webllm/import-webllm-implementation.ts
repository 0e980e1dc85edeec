import type * as Implementation from './webllm-implementation.js';

/** The exports of the runtime asset `engines/webllm.js` (webllm-implementation.ts). */
export type WebLLMImplementation = typeof Implementation;

/**
 * Imports webllm-implementation.ts as a module: the source build's way (tests, bundlers that split chunks
 * themselves). A block's main file is built with import-webllm-implementation.main-file.ts instead
 * (scripts/build-blocks.mjs), which imports the runtime asset from `assetBaseUrl`.
 */
export const importWebLLMImplementation: (assetBaseUrl: string) => Promise<WebLLMImplementation> = () =>
  import('./webllm-implementation.js');
