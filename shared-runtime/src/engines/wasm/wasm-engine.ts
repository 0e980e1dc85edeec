import type { Availability, FinishReason, LoadOptions, LoadProgress, TextCallOptions, TextEngine, TextStreamPart } from '../../interface/engine.js';
import { AiError, AiErrorCode, isAbortError } from '../../interface/errors.js';
import { downloadModel, importModule, ownValue, runtimeAssetBaseUrl, singleFlight } from '../../provider-utils/index.js';

/** The part of wllama's API this engine uses (tests may pass a fake). */
interface WllamaLike {
  loadModel(blobs: Blob[], params: { n_ctx?: number; n_threads?: number; n_gpu_layers?: number }): Promise<void>;
  createChatCompletion(options: { messages: { role: string; content: string }[]; stream: true; temperature?: number; max_tokens?: number; abortSignal?: AbortSignal }): Promise<AsyncIterable<WllamaChunk>>;
  isMultithread(): boolean;
  exit(): Promise<void>;
}

interface WllamaChunk {
  choices: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

type WllamaConstructor = new (paths: { default: string }, config: { suppressNativeLog?: boolean; allowOffline?: boolean }) => WllamaLike;

export interface WasmEngineSettings {
  /** A GGUF URL (same origin or CORS) or a file the person picked. */
  model: string | Blob;
  /** A name for the model in provenance (defaults to the file name). */
  modelId?: string;
  contextSize?: number;
  /** Threads to use when the page is cross-origin isolated (default: hardware threads, at most 4). */
  threads?: number;
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
  /** Whether the last load came from the browser's cache. */
  readonly loadedFromCache: boolean;
  /** Set when the model could not be cached (e.g. STORAGE_FULL); the model still runs. */
  readonly cacheError: AiError | undefined;
  /** Set when the model's file differs from the one first downloaded from its URL. */
  readonly integrityWarning: string | undefined;
}

export const MODEL_CACHE_NAME = 'ai-blocks-models';

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', content_filter: 'content-filter' };

function nameOf(model: string | Blob): string {
  if (typeof model === 'string') return decodeURIComponent(new URL(model, 'http://x/').pathname.split('/').pop() ?? 'model').replace(/\.gguf$/i, '');
  return model instanceof File ? model.name.replace(/\.gguf$/i, '') : 'local-file';
}

/**
 * llama.cpp compiled to WebAssembly (wllama), running on the CPU in its own worker: the free
 * engine for every browser. The factory is light; wllama's code and wasm load from the asset
 * base URL only when the model loads.
 */
export function createWasmEngine(settings: WasmEngineSettings): WasmEngine {
  let instance: WllamaLike | undefined;
  let threads = 1;
  let loadedFromCache = false;
  let cacheError: AiError | undefined;
  let integrityWarning: string | undefined;
  let busy = false;

  async function loadNow(options: LoadOptions): Promise<void> {
    const progress = (update: LoadProgress) => {
      settings.onProgress?.(update);
      options.onProgress?.(update);
    };
    let lastFraction = 0;
    const monotonic = (update: LoadProgress) => {
      lastFraction = Math.max(lastFraction, update.fraction);
      progress({ ...update, fraction: lastFraction });
    };
    const signal = options.abortSignal;
    signal?.throwIfAborted();
    let blob: Blob;
    if (typeof settings.model === 'string') {
      const url = new URL(settings.model, (globalThis as { location?: { href: string } }).location?.href).href;
      const result = await downloadModel({
        url,
        ...(settings.sha256 ? { sha256: settings.sha256 } : {}),
        ...(settings.maxBytes !== undefined ? { maxBytes: settings.maxBytes } : {}),
        ...(settings.expectedBytes !== undefined ? { expectedBytes: settings.expectedBytes } : {}),
        ...(settings.idleTimeoutMs !== undefined ? { idleTimeoutMs: settings.idleTimeoutMs } : {}),
        ...(settings.cache === false ? {} : { cacheName: settings.cache ?? MODEL_CACHE_NAME }),
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        ...(signal ? { abortSignal: signal } : {}),
        onProgress: monotonic,
        span: 0.9,
      });
      blob = result.blob;
      loadedFromCache = result.fromCache;
      cacheError = result.cacheError;
      integrityWarning = result.integrityWarning;
    } else {
      blob = settings.model;
      loadedFromCache = false;
      monotonic({ fraction: 0.9, loadedBytes: blob.size, totalBytes: blob.size, text: 'Reading the model file' });
    }
    signal?.throwIfAborted();
    monotonic({ fraction: 0.9, text: 'Starting the WebAssembly engine' });
    const base = settings.assetBaseUrl ? new URL(settings.assetBaseUrl, (globalThis as { location?: { href: string } }).location?.href).href : runtimeAssetBaseUrl();
    let Wllama = settings.wllama;
    if (!Wllama) {
      try {
        Wllama = (await importModule<{ Wllama: WllamaConstructor }>(new URL('wllama/index.js', base).href)).Wllama;
      } catch (error) {
        throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, `The WebAssembly engine could not be loaded from ${base}`, { cause: error });
      }
    }
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    const hardware = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    threads = isolated ? Math.max(1, settings.threads ?? Math.min(4, hardware)) : 1;
    const wllama = new Wllama({ default: new URL('wllama/wasm/wllama.wasm', base).href }, { suppressNativeLog: true, allowOffline: true });
    try {
      await wllama.loadModel([blob], { n_ctx: settings.contextSize ?? 2048, n_threads: threads });
    } catch (error) {
      await wllama.exit().catch(() => undefined);
      throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The model could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (signal?.aborted) {
      await wllama.exit().catch(() => undefined);
      throw signal.reason;
    }
    // wllama says whether it really got threads.
    if (!wllama.isMultithread()) threads = 1;
    instance = wllama;
    monotonic({ fraction: 1, text: threads > 1 ? `Ready (${threads} threads)` : 'Ready (1 thread)' });
  }

  // One load at a time; a failed or aborted load can be retried.
  const loadOnce = singleFlight(loadNow);

  const engine: WasmEngine = {
    specificationVersion: 'v1',
    engineId: 'wasm',
    modelId: settings.modelId ?? nameOf(settings.model),
    kind: 'local',
    get threads() {
      return threads;
    },
    get loadedFromCache() {
      return loadedFromCache;
    },
    get cacheError() {
      return cacheError;
    },
    get integrityWarning() {
      return integrityWarning;
    },

    availability(): Promise<Availability> {
      if (typeof WebAssembly !== 'object') return Promise.resolve('unavailable');
      return Promise.resolve(instance ? 'available' : 'downloadable');
    },

    load(options: LoadOptions = {}): Promise<void> {
      if (instance) return Promise.resolve();
      return loadOnce(options);
    },

    async doStream(options: TextCallOptions): Promise<ReadableStream<TextStreamPart>> {
      await engine.load(options.abortSignal ? { abortSignal: options.abortSignal } : {});
      const wllama = instance;
      if (!wllama) throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, 'The model is not loaded');
      if (busy) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'The CPU model is busy with another answer');
      options.abortSignal?.throwIfAborted();
      busy = true;
      const messages = [...(options.system ? [{ role: 'system', content: options.system }] : []), ...options.messages];
      let chunks: AsyncIterator<WllamaChunk>;
      try {
        chunks = (
          await wllama.createChatCompletion({
            messages,
            stream: true,
            ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
            ...(options.maxOutputTokens !== undefined ? { max_tokens: options.maxOutputTokens } : {}),
            ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
          })
        )[Symbol.asyncIterator]();
      } catch (error) {
        busy = false;
        throw translate(error, options.abortSignal);
      }
      let finishReason: FinishReason | undefined;
      let usage: { inputTokens: number; outputTokens: number } | undefined;
      let outputTokens = 0;
      return new ReadableStream<TextStreamPart>({
        async pull(controller) {
          try {
            for (;;) {
              const next = await chunks.next();
              if (next.done) {
                busy = false;
                controller.enqueue({ type: 'finish', finishReason: finishReason ?? 'stop', usage: usage ?? { inputTokens: 0, outputTokens } });
                controller.close();
                return;
              }
              const chunk = next.value;
              if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
              const choice = chunk.choices[0];
              if (choice?.finish_reason) finishReason = ownValue(FINISH, choice.finish_reason) ?? 'other';
              const delta = choice?.delta?.content;
              if (delta) {
                outputTokens += 1;
                controller.enqueue({ type: 'text-delta', delta });
                return;
              }
            }
          } catch (error) {
            busy = false;
            if (options.abortSignal?.aborted || isAbortError(error)) controller.error(options.abortSignal?.reason ?? error);
            else {
              controller.enqueue({ type: 'error', error: translate(error, options.abortSignal) });
              controller.close();
            }
          }
        },
        async cancel() {
          await chunks.return?.();
          busy = false;
        },
      });
    },

    async dispose(): Promise<void> {
      const wllama = instance;
      instance = undefined;
      await wllama?.exit();
    },
  };
  return engine;
}

function translate(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || isAbortError(error)) return signal?.reason ?? error;
  if (AiError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/kv_cache_full|context/i.test(message)) return new AiError(AiErrorCode.INPUT_TOO_LONG, `The conversation no longer fits the model’s context: ${message}`, { cause: error });
  return new AiError(AiErrorCode.INTERNAL, `The CPU model failed: ${message}`, { cause: error });
}
