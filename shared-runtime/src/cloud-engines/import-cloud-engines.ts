import type * as Implementation from './cloud-engines.js';

/** The exports of the runtime asset `engines/cloud.js` (cloud-engines.ts). */
export type CloudEnginesModule = typeof Implementation;

/**
 * Imports cloud-engines.ts as a module: the source build's way (tests, bundlers that split chunks
 * themselves). A block's main file is built with import-cloud-engines.main-file.ts instead
 * (scripts/vite-block-config.mjs), which imports the runtime asset from `assetBaseUrl`.
 */
export const importCloudEngines: (assetBaseUrl: string) => Promise<CloudEnginesModule> = () =>
  import('./cloud-engines.js');
