// Replaces import-cloud-engines.ts in the blocks' main files (scripts/vite-block-config.mjs):
// the code is not bundled there but imported from the runtime assets when first needed.
import { importModule } from '../provider-utils/assets.js';
import type { CloudEnginesModule } from './import-cloud-engines.js';

export type { CloudEnginesModule } from './import-cloud-engines.js';

/** Imports `<assetBaseUrl>engines/cloud.js`, built by scripts/build-runtime-assets.mjs. */
export function importCloudEngines(assetBaseUrl: string): Promise<CloudEnginesModule> {
  return importModule<CloudEnginesModule>(new URL('engines/cloud.js', assetBaseUrl).href);
}
