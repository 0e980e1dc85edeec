import type {
  Availability,
  LoadOptions,
  LoadProgress,
  TextCallOptions,
  TextEngine,
  TextStreamResult,
} from '../../interface/engine.js';
import type { AiError } from '../../interface/errors.js';
import type { GpuLimits } from '../../provider-utils/gpu-support.js';
import { assetBaseFor, importImplementation, type OpenAIChunk } from '../../provider-utils/index.js';
import { importWasmImplementation } from './import-wasm-implementation.js';
import type { WasmBackend } from './wasm-backend.js';

export { chooseWasmBackend, type WasmBackend, type WasmBackendChoice, type WasmBackendNeeds } from './wasm-backend.js';

/** The part of wllama's API this engine uses (tests may pass a fake). */
export interface WllamaLike {
  loadModel(blobs: Blob[], params: { n_ctx?: number; n_threads?: number; n_gpu_layers?: number }): Promise<void>;
  createChatCompletion(options: {
    messages: { role: string; content: string }[];
    stream: true;
    temperature?: number;
    max_tokens?: number;
    abortSignal?: AbortSignal;
  }): Promise<AsyncIterable<WllamaChunk>>;
  isMultithread(): boolean;
  exit(): Promise<void>;
}

/** wllama streams OpenAI-shaped chunks. */
export type WllamaChunk = OpenAIChunk;

/** wllama's logger: its own messages and, unless suppressed, llama.cpp's. */
export interface WllamaLogger {
  debug(...args: unknown[]): void;
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type WllamaConstructor = new (
  paths: { default: string },
  config: { suppressNativeLog?: boolean; allowOffline?: boolean; logger?: WllamaLogger },
) => WllamaLike;

export interface WasmEngineSettings {
  /** A GGUF URL (same origin or CORS) or a file the person picked. */
  model: string | Blob;
  /** A name for the model in provenance (defaults to the file name). */
  modelId?: string;
  /** Tokens the model is loaded with (the catalogue's context window); default `DEFAULT_CONTEXT_WINDOW`. */
  contextSize?: number;
  /** Threads to use when the page is cross-origin isolated (default: hardware threads, at most 4). */
  threads?: number;
  /**
   * `auto` (default): the GGUF runs on the GPU through llama.cpp's WebGPU backend when the page
   * has a real GPU that fits it (`chooseWasmBackend`), else on the CPU. `off`: always the CPU.
   */
  gpu?: 'auto' | 'off';
  /** What the page's WebGPU adapter offers; default: asked of `navigator.gpu` when the model loads. */
  gpuLimits?: () => Promise<GpuLimits>;
  /** SHA-256 of the GGUF (hex), checked while it downloads when given. */
  sha256?: string;
  /** The most bytes the download may reach (default 4 GiB); more is stopped with MODEL_LOAD_FAILED. */
  maxBytes?: number;
  /** About how big the file is: for the storage check and progress when the server does not say. */
  expectedBytes?: number;
  /** Milliseconds without a byte after which the download stops (default 30 s). */
  idleTimeoutMs?: number;
  onProgress?: (progress: LoadProgress) => void;
  /** Where wllama's module and wasm are (`<base>wllama/index.js`); defaults to the runtime asset base. */
  assetBaseUrl?: string;
  /** Cache API cache for downloaded models; `false` disables caching. */
  cache?: string | false;
  fetch?: typeof fetch;
  /** Injected wllama class (tests); by default imported from the asset base. */
  wllama?: WllamaConstructor;
}

export interface WasmEngine extends TextEngine {
  load(options?: LoadOptions): Promise<void>;
  /** Stops the worker and frees the model's memory. */
  dispose(): Promise<void>;
  /** Threads in use after load (1 unless the page is cross-origin isolated). */
  readonly threads: number;
  /** Where the model runs after load (llama.cpp's WebGPU backend or the CPU); undefined before. */
  readonly backend: WasmBackend | undefined;
  /** A sentence on where the model runs and why, after load (e.g. "GGUF on the CPU: …"). */
  readonly backendText: string | undefined;
  /** Whether the last load came from the browser's cache. */
  readonly loadedFromCache: boolean;
  /** Set when the model could not be cached (e.g. STORAGE_FULL); the model still runs. */
  readonly cacheError: AiError | undefined;
  /** Set when the model's file differs from the one first downloaded from its URL. */
  readonly integrityWarning: string | undefined;
}

export const MODEL_CACHE_NAME = 'ai-blocks-models';

/** The context window of a model nobody has described (added by URL or file). */
export const DEFAULT_CONTEXT_WINDOW = 2048;

function nameOf(model: string | Blob): string {
  if (typeof model === 'string')
    return decodeURIComponent(new URL(model, 'http://x/').pathname.split('/').pop() ?? 'model').replace(/\.gguf$/i, '');
  return model instanceof File ? model.name.replace(/\.gguf$/i, '') : 'local-file';
}

/**
 * llama.cpp compiled to WebAssembly (wllama) in its own worker: the free engine for every
 * browser. It runs the GGUF on the CPU, or on the GPU through llama.cpp's WebGPU backend where
 * the page has a real GPU (`chooseWasmBackend`). The factory is light: the engine's implementation
 * (wasm-implementation.ts, the runtime asset `engines/wasm.js`) and wllama's code and wasm
 * load from the asset base URL only when the model loads.
 */
export function createWasmEngine(settings: WasmEngineSettings): WasmEngine {
  const modelId = settings.modelId ?? nameOf(settings.model);
  let running: Promise<WasmEngine> | undefined;
  let loaded: WasmEngine | undefined;

  // Imported on the first load; a failed import may be retried by the next one.
  const start = (): Promise<WasmEngine> =>
    (running ??= (async () => {
      const assetBaseUrl = assetBaseFor(settings.assetBaseUrl);
      const { createWasmImplementation } = await importImplementation(
        () => importWasmImplementation(assetBaseUrl),
        'The WebAssembly engine',
        `${assetBaseUrl}engines/wasm.js`,
        ['createWasmImplementation'],
      );
      return (loaded = createWasmImplementation({ ...settings, modelId, assetBaseUrl }));
    })().catch((error: unknown) => {
      running = undefined;
      throw error;
    }));

  return {
    specificationVersion: 'v1',
    engineId: 'wasm',
    modelId,
    kind: 'local',
    get threads() {
      return loaded?.threads ?? 1;
    },
    get backend() {
      return loaded?.backend;
    },
    get backendText() {
      return loaded?.backendText;
    },
    get loadedFromCache() {
      return loaded?.loadedFromCache ?? false;
    },
    get cacheError() {
      return loaded?.cacheError;
    },
    get integrityWarning() {
      return loaded?.integrityWarning;
    },

    availability(): Promise<Availability> {
      if (typeof WebAssembly !== 'object') return Promise.resolve('unavailable');
      return loaded ? loaded.availability() : Promise.resolve('downloadable');
    },

    async load(options: LoadOptions = {}): Promise<void> {
      await (await start()).load(options);
    },

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      return (await start()).doStream(options);
    },

    async dispose(): Promise<void> {
      const engine = await running?.catch(() => undefined);
      await engine?.dispose();
    },
  };
}
