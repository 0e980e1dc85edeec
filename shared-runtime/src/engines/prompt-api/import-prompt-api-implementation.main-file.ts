// Replaces import-prompt-api-implementation.ts in the blocks' main files (scripts/build-blocks.mjs).
import { importModule } from '../../provider-utils/assets.js';
import type { PromptApiImplementation } from './import-prompt-api-implementation.js';

export type { PromptApiImplementation } from './import-prompt-api-implementation.js';

/** Imports `<assetBaseUrl>engines/prompt-api.js`, built by scripts/build-runtime-assets.mjs. */
export function importPromptApiImplementation(assetBaseUrl: string): Promise<PromptApiImplementation> {
  return importModule<PromptApiImplementation>(new URL('engines/prompt-api.js', assetBaseUrl).href);
}
