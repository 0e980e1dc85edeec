/** The in-browser image engine (onnxruntime-web) and the pieces of its pipeline. */
export {
  createOnnxImageEngine,
  IMAGE_MODEL_CACHE_NAME,
  type GpuSupport,
  type OnnxImageEngine,
  type OnnxImageEngineSettings,
} from './onnx-image-engine.js';
export { ClipTokenizer, type ClipTokenizerOptions } from './clip-tokenizer.js';
export {
  eulerAncestralSchedule,
  eulerAncestralStep,
  scaleModelInput,
  type Schedule,
  type SchedulerConfig,
} from './euler-ancestral.js';
export { DIFFUSION_MANIFEST_FORMAT, modelBytes, parseDiffusionManifest, type DiffusionManifest } from './manifest.js';
export {
  MAX_FILE_BYTES,
  memoryNeeded,
  whyItCannotFit,
  type ExecutionProvider,
  type MemoryLimits,
} from './memory-check.js';
export {
  runDiffusion,
  toRgb,
  type PipelineRun,
  type PipelineSessions,
  type RgbResult,
  type SessionRunner,
} from './pipeline.js';
export {
  adler32,
  crc32,
  encodePng,
  encodePngStored,
  zlibStored,
  type PngCompression,
  type RgbImage,
} from './png-encoder.js';
export { MAX_SEED, seededGaussian, seededUint32, type GaussianSource } from './seeded-gaussian.js';
export { fromHalf, toHalf, type TensorData, type TensorType } from './tensor-data.js';
