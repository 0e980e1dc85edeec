import type * as Implementation from './wasm-implementation.js';

/** The exports of the runtime asset `engines/wasm.js` (wasm-implementation.ts). */
export type WasmImplementation = typeof Implementation;

/**
 * Imports wasm-implementation.ts as a module: the source build's way (tests, bundlers that split chunks
 * themselves). A block's main file is built with import-wasm-implementation.main-file.ts instead
 * (scripts/build-blocks.mjs), which imports the runtime asset from `assetBaseUrl`.
 */
export const importWasmImplementation: (assetBaseUrl: string) => Promise<WasmImplementation> = () =>
  import('./wasm-implementation.js');
