/** @ai-blocks/runtime: the engine interface, engine selection, streaming and the engines. */
export * from './interface/index.js';
export {
  blockSelectionConfig,
  canPickEngine,
  createBlockEngine,
  defaultWasmModel,
  EMPTY_PROBE,
  modelNameFromUrl,
  pageCapabilities,
  wasmModelSource,
  webllmModelFor,
  type BlockEngineSettings,
  type CachedModels,
  type CreateBlockEngineOptions,
} from './block-engines.js';
export {
  builtInCatalogue,
  customModelFromFile,
  customModelFromUrl,
  downloadCap,
  isAllowedModelUrl,
  modelLabel,
  modelSupport,
  modelUrl,
  safeModelUrl,
  TEST_MODEL_BYTES,
  type CatalogueModel,
  type LocalEngineId,
} from './model-catalogue.js';
export { sharedLocalEngine } from './shared-engine.js';
export {
  createModelManager,
  type ModelDownload,
  type ModelManager,
  type ModelManagerOptions,
  type ModelState,
  type WebLLMCache,
} from './model-manager.js';
export {
  createOpenAICompatibleEngine,
  type OpenAICompatibleEngine,
  type OpenAICompatibleSettings,
} from './engines/openai-compatible/openai-compatible-engine.js';
export { generateImage, type GenerateImageOptions, type ImageOutcome } from './generate-image.js';
export {
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUTS,
  type RetryPolicy,
  type StreamTimeouts,
} from './provider-utils/retry-policy.js';
export { streamText, type StreamTextOptions, type TextOutcome, type TextRun } from './stream-text.js';
export { createAnthropicEngine, type AnthropicSettings } from './engines/anthropic/anthropic-engine.js';
export { elementServiceTransport, ServiceBlockHandler } from './engines/service-module/service-block-handler.js';
export {
  createServiceModuleEngine,
  type ServiceModuleSettings,
  type ServiceTransport,
} from './engines/service-module/service-module-engine.js';
export { probeCapabilities, type CapabilityProbe, type ProbeOptions } from './probe-capabilities.js';
export {
  BUILT_IN_MODEL_ID,
  createPromptApiEngine,
  type PromptApiCallOptions,
  type PromptApiEngine,
  type PromptApiEngineSettings,
  type ResponseFormat,
} from './engines/prompt-api/prompt-api-engine.js';
export { probeBuiltInAi, TEXT_IO, type BuiltInAiState } from './engines/prompt-api/probe-built-in-ai.js';
export { toBuiltInAiError } from './engines/prompt-api/built-in-ai-errors.js';
export type * from './engines/prompt-api/prompt-api-types.js';
export {
  DEFAULT_ENGINE_ORDER,
  ENGINE_IDS,
  ENGINE_LABELS,
  ENGINE_TABLE,
  engineCredit,
  engineEntry,
  IMAGE_ENGINE_IDS,
  isEngineId,
  type EngineEntry,
  type EngineId,
  type ImageEngineId,
} from './engine-table.js';
export {
  formatBytes,
  selectEngine,
  type EnginePreference,
  type EngineSelection,
  type SelectionReason,
  type SelectionReasonKind,
  type LocalModelState,
  type SelectionConfig,
} from './select-engine.js';
export {
  chooseWasmBackend,
  createWasmEngine,
  MODEL_CACHE_NAME,
  type WasmBackend,
  type WasmBackendChoice,
  type WasmEngine,
  type WasmEngineSettings,
} from './engines/wasm/wasm-engine.js';
export {
  capForSize,
  DEFAULT_DOWNLOAD_IDLE_MS,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  deleteCachedModel,
  downloadModel,
  isModelCached,
  modelIntegrityWarning,
  type CacheLike,
  type CacheStorageLike,
  type DownloadOptions,
  type DownloadResult,
} from './provider-utils/model-download.js';
export { Sha256 } from './provider-utils/sha256.js';
export {
  estimatedGpuMemoryBytes,
  gpuLimitsOf,
  gpuShortfall,
  probeGpuLimits,
  type GpuAdapterLike,
  type GpuLimits,
  type GpuNeeds,
  type GpuShortfall,
} from './provider-utils/gpu-support.js';
export { importModule, runtimeAssetBaseUrl, runtimeAssetUrl } from './provider-utils/assets.js';
export {
  createWebLLMEngine,
  deleteWebLLMModel,
  isWebLLMModelCached,
  type MLCEngineLike,
  type WebLLMCacheOptions,
  type WebLLMChatRequest,
  type WebLLMChunk,
  type WebLLMEngine,
  type WebLLMEngineConfig,
  type WebLLMEngineSettings,
  type WebLLMLogLevel,
  type WebLLMModuleLike,
  type WebLLMProgressReport,
} from './engines/webllm/webllm-engine.js';
export { toWebLLMError, type WebLLMPhase } from './engines/webllm/webllm-errors.js';
export { absoluteAppConfig, type WebLLMAppConfig, type WebLLMModelRecord } from './engines/webllm/webllm-models.js';
export {
  createFallbackEngine,
  type FallbackEngine,
  type FallbackEngineSettings,
} from './engines/fallback/fallback-engine.js';
export * from './engines/onnx-image/index.js';
export {
  createImageBlockEngine,
  createImageModelManager,
  imageSelectionConfig,
  type ImageEngineSettings,
  type ImageModelManager,
} from './image-block-engines.js';
export { createLazyOnnxImageEngine, type LazyOnnxImageEngine } from './engines/onnx-image/lazy-onnx-image-engine.js';
export {
  builtInImageCatalogue,
  imageModelSource,
  imageModelSupport,
  TINY_DIFFUSION_BYTES,
  type ImageCatalogueModel,
} from './image-catalogue.js';
export {
  checkConnection,
  CONNECTION_PRESETS,
  connectionHeaders,
  type ConnectionCheck,
  type ConnectionKind,
  type ConnectionPreset,
  type ModelConnection,
} from './connect/model-connection.js';
