// Replaces import-wasm-implementation.ts in the blocks' main files (scripts/build-blocks.mjs):
// the code is not bundled there but imported from the runtime assets when first needed.
import { importModule } from '../../provider-utils/assets.js';
import type { WasmImplementation } from './import-wasm-implementation.js';

export type { WasmImplementation } from './import-wasm-implementation.js';

/** Imports `<assetBaseUrl>engines/wasm.js`, built by scripts/build-runtime-assets.mjs. */
export function importWasmImplementation(assetBaseUrl: string): Promise<WasmImplementation> {
  return importModule<WasmImplementation>(new URL('engines/wasm.js', assetBaseUrl).href);
}
