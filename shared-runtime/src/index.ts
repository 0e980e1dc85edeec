/** @ai-blocks/runtime: the engine interface, engine selection, streaming and the engines. */
export * from './interface/index.js';
export { createOpenAICompatibleEngine, type OpenAICompatibleEngine, type OpenAICompatibleSettings } from './engines/openai-compatible/openai-compatible-engine.js';
export { generateImage, type GenerateImageOptions, type ImageOutcome } from './generate-image.js';
export { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUTS, type RetryPolicy, type StreamTimeouts } from './provider-utils/retry-policy.js';
export { streamText, toAiError, type StreamTextOptions, type TextOutcome, type TextRun } from './stream-text.js';
export { createAnthropicEngine, type AnthropicSettings } from './engines/anthropic/anthropic-engine.js';
export { elementServiceTransport, ServiceBlockHandler } from './engines/service-module/service-block-handler.js';
export { createServiceModuleEngine, type ServiceModuleSettings, type ServiceTransport } from './engines/service-module/service-module-engine.js';
export { ApiKeyStore, type KeyStorage } from './key-store.js';
export { probeCapabilities, type CapabilityProbe, type ProbeOptions } from './probe-capabilities.js';
export { DEFAULT_ENGINE_ORDER, selectEngine, type EngineId, type EnginePreference, type EngineSelection, type LocalModelState, type SelectionConfig } from './select-engine.js';
export { createWasmEngine, MODEL_CACHE_NAME, type WasmEngine, type WasmEngineSettings } from './engines/wasm/wasm-engine.js';
export { deleteCachedModel, downloadModel, isModelCached, type DownloadOptions, type DownloadResult } from './provider-utils/model-download.js';
export { importModule, runtimeAssetBaseUrl, runtimeAssetUrl, setRuntimeAssetBaseUrl } from './provider-utils/assets.js';
