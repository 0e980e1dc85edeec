/**
 * web-llm model records and the catalogue of the ones this GPU can run. Pure functions and
 * types only: nothing here imports web-llm itself (its bundle is ~6.8 MB).
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

/** What the probed WebGPU adapter can do (a subset of `CapabilityProbe['webgpu']`). */
export interface WebLLMGpu {
  adapter: boolean;
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

/** A model record and whether this GPU can run it; `reason` says why not. */
export type WebLLMModelChoice = WebLLMModelRecord & { supported: boolean; reason?: string };

const EMBEDDING_MODEL = 1;

function megabytes(value: number): string {
  return `${String(Math.round(value))} MB`;
}

function whyNot(record: WebLLMModelRecord, gpu: WebLLMGpu, maxVramMB: number | undefined): string | undefined {
  if (!gpu.adapter) return 'This browser has no WebGPU.';
  // web-llm would accept a software adapter (SwiftShader), but it is far too slow for a chat
  // model: ARCHITECTURE §3 counts it as no usable GPU.
  if (gpu.isFallbackAdapter) return 'WebGPU here runs in software, without a real GPU.';
  if (record.model_type === EMBEDDING_MODEL) return 'An embedding model, not a chat model.';
  if (record.required_features?.includes('shader-f16') && !gpu.shaderF16) return 'Needs shader-f16, which this GPU lacks.';
  const bufferLimit = gpu.maxStorageBufferBindingSize ?? gpu.maxBufferSize;
  if (record.buffer_size_required_bytes !== undefined && bufferLimit !== undefined && record.buffer_size_required_bytes > bufferLimit) {
    return `Needs GPU buffers of ${megabytes(record.buffer_size_required_bytes / 2 ** 20)}; this GPU allows ${megabytes(bufferLimit / 2 ** 20)}.`;
  }
  if (record.vram_required_MB !== undefined && maxVramMB !== undefined && record.vram_required_MB > maxVramMB) {
    return `Needs about ${megabytes(record.vram_required_MB)} of GPU memory; at most ${megabytes(maxVramMB)} is allowed here.`;
  }
  return undefined;
}

/**
 * The catalogue of web-llm models for the probed GPU: every record of `modelList`, in order,
 * marked `supported` or not with a reason a person can read. Pure; give it
 * `prebuiltAppConfig.model_list` or a host's own list.
 */
export function webllmModelsFor(modelList: readonly WebLLMModelRecord[], gpu: WebLLMGpu, options: { maxVramMB?: number } = {}): WebLLMModelChoice[] {
  return modelList.map((record) => {
    const reason = whyNot(record, gpu, options.maxVramMB);
    return reason === undefined ? { ...record, supported: true } : { ...record, supported: false, reason };
  });
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
