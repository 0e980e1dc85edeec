import type * as Implementation from './onnx-image-engine.js';

/** The exports of the runtime asset `engines/onnx-image.js` (onnx-image-engine.ts). */
export type OnnxImageImplementation = typeof Implementation;

/**
 * Imports onnx-image-engine.ts as a module: the source build's way (tests, bundlers). A block's
 * main file is built with import-onnx-image-engine.main-file.ts instead (scripts/build-blocks.mjs),
 * which imports the runtime asset from `assetBaseUrl`.
 */
export const importOnnxImageEngine: (assetBaseUrl: string) => Promise<OnnxImageImplementation> = () =>
  import('./onnx-image-engine.js');
