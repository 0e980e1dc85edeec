// Replaces import-model-download.ts in the blocks' main files (scripts/build-blocks.mjs):
// the code is not bundled there but imported from the runtime assets when first needed.
import { importModule } from './assets.js';
import type { ModelDownloadModule } from './import-model-download.js';

export type { ModelDownloadModule } from './import-model-download.js';

/** Imports `<assetBaseUrl>model-download.js`, built by scripts/build-runtime-assets.mjs. */
export function importModelDownload(assetBaseUrl: string): Promise<ModelDownloadModule> {
  return importModule<ModelDownloadModule>(new URL('model-download.js', assetBaseUrl).href);
}
