import type * as Implementation from './model-download.js';

/** The exports of the runtime asset `model-download.js` (model-download.ts). */
export type ModelDownloadModule = typeof Implementation;

/**
 * Imports model-download.ts as a module: the source build's way (tests, bundlers that split chunks
 * themselves). A block's main file is built with import-model-download.main-file.ts instead
 * (scripts/build-blocks.mjs), which imports the runtime asset from `assetBaseUrl`.
 */
export const importModelDownload: (assetBaseUrl: string) => Promise<ModelDownloadModule> = () =>
  import('./model-download.js');
