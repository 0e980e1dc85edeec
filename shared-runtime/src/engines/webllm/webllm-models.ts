/**
 * web-llm's model records and app config, and making their URLs absolute. Pure functions and
 * types only: nothing here imports web-llm itself (its bundle is ~6.8 MB). Which models this
 * GPU can run is the catalogue's rule (`modelSupport`).
 */
/** web-llm's `ModelRecord` (0.2.86), as far as this runtime reads it. */
export interface WebLLMModelRecord {
  /** Base URL of the weights: `<base>/resolve/main/` is appended unless it has a `/resolve/<x>/`. */
  model: string;
  model_id: string;
  /** URL of the TVM-compiled model library (`*-webgpu.wasm`). */
  model_lib: string;
  /** Overrides of the model's `mlc-chat-config.json` (web-llm's `ChatOptions`). */
  overrides?: object;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  /** The `maxStorageBufferBindingSize` the model needs. */
  buffer_size_required_bytes?: number;
  /** e.g. `['shader-f16']`. */
  required_features?: string[];
  /** web-llm's `ModelType`: 0 chat model, 1 embedding model, 2 vision-language model. */
  model_type?: number;
  /** SRI hashes of the config, model library and tokenizer (web-llm's `ModelIntegrity`). */
  integrity?: object;
  model_manifest?: string;
}

/** web-llm's `AppConfig`: the models it may load and where it caches them. */
export interface WebLLMAppConfig {
  model_list: WebLLMModelRecord[];
  cacheBackend?: 'cache' | 'indexeddb' | 'cross-origin' | 'opfs';
  opfsAccessMode?: 'async' | 'sync' | 'auto';
}

/**
 * The app config with every `model` and `model_lib` made absolute against `base` (the page):
 * web-llm throws `Invalid URL` on a relative `model`, and a worker started from a Blob URL
 * would resolve a relative one against `blob:`.
 */
export function absoluteAppConfig(appConfig: WebLLMAppConfig, base: string | undefined): WebLLMAppConfig {
  if (base === undefined) return appConfig;
  return {
    ...appConfig,
    model_list: appConfig.model_list.map((record) => ({
      ...record,
      model: new URL(record.model, base).href,
      model_lib: new URL(record.model_lib, base).href,
    })),
  };
}
