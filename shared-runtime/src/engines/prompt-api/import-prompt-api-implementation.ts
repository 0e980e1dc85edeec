import type * as Implementation from './prompt-api-implementation.js';

/** The exports of the runtime asset `engines/prompt-api.js` (prompt-api-implementation.ts). */
export type PromptApiImplementation = typeof Implementation;

/**
 * Imports prompt-api-implementation.ts as a module (tests, source builds). A block's main file is
 * built with import-prompt-api-implementation.main-file.ts instead, which imports the runtime asset.
 */
export const importPromptApiImplementation: (assetBaseUrl: string) => Promise<PromptApiImplementation> = () =>
  import('./prompt-api-implementation.js');
