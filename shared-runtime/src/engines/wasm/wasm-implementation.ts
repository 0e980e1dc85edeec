// The CPU engine as it runs once a model loads: the download, wllama's worker, streaming and
// disposal. Blocks import it from the runtime assets (engines/wasm.js) only when the engine
// loads; `createWasmEngine` (wasm-engine.ts) is the light factory in front of it.
import type {
  Availability,
  LoadOptions,
  LoadProgress,
  TextCallOptions,
  TextStreamResult,
} from '../../interface/engine.js';
import { AiError, AiErrorCode, isAbortError } from '../../interface/errors.js';
import {
  importModule,
  iteratorStream,
  openAIChunkParts,
  runtimeAssetBaseUrl,
  singleFlight,
} from '../../provider-utils/index.js';
import { downloadModel } from '../../provider-utils/model-download.js';
import {
  DEFAULT_CONTEXT_WINDOW,
  MODEL_CACHE_NAME,
  type WasmEngine,
  type WasmEngineSettings,
  type WllamaChunk,
  type WllamaConstructor,
  type WllamaLike,
} from './wasm-engine.js';

/** The wllama engine itself (see `createWasmEngine`); wllama's code and wasm are imported when the model loads. */
export function createWasmImplementation(settings: WasmEngineSettings): WasmEngine {
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
    const base = settings.assetBaseUrl
      ? new URL(settings.assetBaseUrl, (globalThis as { location?: { href: string } }).location?.href).href
      : runtimeAssetBaseUrl();
    let Wllama = settings.wllama;
    if (!Wllama) {
      try {
        Wllama = (await importModule<{ Wllama: WllamaConstructor }>(new URL('wllama/index.js', base).href)).Wllama;
      } catch (error) {
        throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, `The WebAssembly engine could not be loaded from ${base}`, {
          cause: error,
        });
      }
    }
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    const hardware =
      (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    threads = isolated ? Math.max(1, settings.threads ?? Math.min(4, hardware)) : 1;
    const wllama = new Wllama(
      { default: new URL('wllama/wasm/wllama.wasm', base).href },
      { suppressNativeLog: true, allowOffline: true },
    );
    try {
      await wllama.loadModel([blob], { n_ctx: settings.contextSize ?? DEFAULT_CONTEXT_WINDOW, n_threads: threads });
    } catch (error) {
      await wllama.exit().catch(() => undefined);
      throw new AiError(
        AiErrorCode.MODEL_LOAD_FAILED,
        `The model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
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
    modelId: settings.modelId ?? 'local-file',
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

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
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
      const signal = options.abortSignal;
      const stop = async () => {
        await chunks.return?.();
        busy = false;
      };
      const stream = iteratorStream(chunks, {
        abortSignal: signal,
        onEnd: () => {
          busy = false;
        },
        failure: (error) =>
          signal?.aborted || isAbortError(error)
            ? { abort: signal?.reason ?? error }
            : { failure: translate(error, signal) },
        cancel: stop,
      }).pipeThrough(openAIChunkParts({ countDeltas: true, onCancel: () => void stop() }));
      // wllama's completion takes no stop sequences.
      return {
        stream,
        ...(options.stopSequences?.length
          ? {
              warnings: [
                {
                  type: 'unsupported-setting',
                  setting: 'stopSequences',
                  details: 'The CPU engine (wllama) takes no stop sequences.',
                },
              ],
            }
          : {}),
      };
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
  if (/kv_cache_full|context/i.test(message))
    return new AiError(AiErrorCode.INPUT_TOO_LONG, `The conversation no longer fits the model’s context: ${message}`, {
      cause: error,
    });
  return new AiError(AiErrorCode.INTERNAL, `The CPU model failed: ${message}`, { cause: error });
}
