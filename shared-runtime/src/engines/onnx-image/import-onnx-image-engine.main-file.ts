// Replaces import-onnx-image-engine.ts in the blocks' main files (scripts/build-blocks.mjs): the
// image pipeline is not bundled there but imported from the runtime assets when first needed.
import { importModule } from '../../provider-utils/assets.js';
import type { OnnxImageImplementation } from './import-onnx-image-engine.js';

export type { OnnxImageImplementation } from './import-onnx-image-engine.js';

/** Imports `<assetBaseUrl>engines/onnx-image.js`, built by scripts/build-runtime-assets.mjs. */
export function importOnnxImageEngine(assetBaseUrl: string): Promise<OnnxImageImplementation> {
  return importModule<OnnxImageImplementation>(new URL('engines/onnx-image.js', assetBaseUrl).href);
}
