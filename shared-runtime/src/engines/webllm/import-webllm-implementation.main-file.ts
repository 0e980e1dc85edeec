// Replaces import-webllm-implementation.ts in the blocks' main files (scripts/build-blocks.mjs):
// the code is not bundled there but imported from the runtime assets when first needed.
import { importModule } from '../../provider-utils/assets.js';
import type { WebLLMImplementation } from './import-webllm-implementation.js';

export type { WebLLMImplementation } from './import-webllm-implementation.js';

/** Imports `<assetBaseUrl>engines/webllm.js`, built by scripts/build-runtime-assets.mjs. */
export function importWebLLMImplementation(assetBaseUrl: string): Promise<WebLLMImplementation> {
  return importModule<WebLLMImplementation>(new URL('engines/webllm.js', assetBaseUrl).href);
}
