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
  ignoredStopSequences,
  importModule,
  iteratorStream,
  openAIChunkParts,
  runtimeAssetBaseUrl,
  singleFlight,
} from '../../provider-utils/index.js';
import { gpuLimitsOf, probeGpuLimits } from '../../provider-utils/gpu-support.js';
import { downloadModel } from '../../provider-utils/model-download.js';
import {
  ALL_GPU_LAYERS,
  chooseWasmBackend,
  confirmedBackend,
  offloadedLayers,
  type OffloadedLayers,
  type WasmBackend,
  type WasmBackendChoice,
} from './wasm-backend.js';
import {
  DEFAULT_CONTEXT_WINDOW,
  MODEL_CACHE_NAME,
  type WasmEngine,
  type WasmEngineSettings,
  type WllamaChunk,
  type WllamaConstructor,
  type WllamaLike,
  type WllamaLogger,
} from './wasm-engine.js';

/** The wllama engine itself (see `createWasmEngine`); wllama's code and wasm are imported when the model loads. */
export function createWasmImplementation(settings: WasmEngineSettings): WasmEngine {
  let instance: WllamaLike | undefined;
  let threads = 1;
  let backendChoice: WasmBackendChoice | undefined;
  let loadedFromCache = false;
  let cacheError: AiError | undefined;
  let integrityWarning: string | undefined;
  let busy = false;
  // A stopped answer winding down in wllama; the next one waits for it instead of finding the engine busy.
  let stopping: Promise<void> | undefined;

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
    // wllama would offload to any adapter its worker finds; the engine decides with the GPU rule.
    const gpu = settings.gpu === 'off' ? gpuLimitsOf(null) : await (settings.gpuLimits ?? probeGpuLimits)();
    const planned = chooseWasmBackend(gpu, { ...(settings.gpu ? { gpu: settings.gpu } : {}), modelBytes: blob.size });
    const Engine = Wllama;
    const start = async (backend: WasmBackend) => {
      // llama.cpp's own count of the layers it put on the GPU, from its load log.
      const seen: { layers?: OffloadedLayers } = {};
      const logger = quietLogger((line) => {
        const layers = offloadedLayers(line);
        if (layers) seen.layers = layers;
      });
      const wllama = new Engine(
        { default: new URL('wllama/wasm/wllama.wasm', base).href },
        { allowOffline: true, logger },
      );
      try {
        await wllama.loadModel([blob], {
          n_ctx: settings.contextSize ?? DEFAULT_CONTEXT_WINDOW,
          n_threads: threads,
          // 0 also keeps wllama's worker from opening a WebGPU device at all.
          n_gpu_layers: backend === 'webgpu' ? ALL_GPU_LAYERS : 0,
        });
      } catch (error) {
        await wllama.exit().catch(() => undefined);
        throw error;
      }
      return { wllama, layers: seen.layers };
    };
    let started: Awaited<ReturnType<typeof start>>;
    let choice = planned;
    try {
      started = await start(planned.backend);
    } catch (error) {
      if (planned.backend !== 'webgpu' || signal?.aborted) throw loadFailure(error);
      // A GPU that cannot take the model (device lost, out of memory) leaves the CPU.
      choice = { backend: 'cpu', text: `GGUF on the CPU: the GPU could not load it (${messageOf(error)}).` };
      started = await start('cpu').catch((retryError: unknown) => {
        throw loadFailure(retryError);
      });
    }
    const { wllama, layers } = started;
    if (signal?.aborted) {
      await wllama.exit().catch(() => undefined);
      throw signal.reason;
    }
    backendChoice = confirmedBackend(choice, layers);
    // wllama says whether it really got threads.
    if (!wllama.isMultithread()) threads = 1;
    instance = wllama;
    const where =
      backendChoice.backend === 'webgpu' ? 'on the GPU' : `on ${threads > 1 ? `${threads} threads` : '1 thread'}`;
    monotonic({ fraction: 1, text: `Ready (${where})` });
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
    get backend() {
      return backendChoice?.backend;
    },
    get backendText() {
      return backendChoice?.text;
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
      await stopping;
      if (busy) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'The CPU model is busy with another answer');
      options.abortSignal?.throwIfAborted();
      busy = true;
      const messages = [...(options.system ? [{ role: 'system', content: options.system }] : []), ...options.messages];
      const signal = options.abortSignal;
      // wllama stops on a signal of its own: the caller's abort, or a reader that cancels.
      const interrupt = new AbortController();
      const relay = () => {
        interrupt.abort(signal?.reason);
      };
      signal?.addEventListener('abort', relay, { once: true });
      const finish = () => {
        signal?.removeEventListener('abort', relay);
        busy = false;
      };
      let chunks: AsyncIterator<WllamaChunk>;
      try {
        chunks = (
          await wllama.createChatCompletion({
            messages,
            stream: true,
            ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
            ...(options.maxOutputTokens !== undefined ? { max_tokens: options.maxOutputTokens } : {}),
            abortSignal: interrupt.signal,
          })
        )[Symbol.asyncIterator]();
      } catch (error) {
        finish();
        throw translate(error, signal);
      }
      // wllama's iterator (a transpiled async generator) breaks when read twice at once: reads
      // wait for each other.
      let reads: Promise<unknown> = Promise.resolve();
      const next = () => {
        const read = reads.then(() => chunks.next());
        reads = read.catch(() => undefined);
        return read;
      };
      const drain = async () => {
        // Read on until the iterator ends: once the abort lands, wllama rejects a promise that
        // only a further read observes (returning the iterator early would leave it unhandled).
        try {
          while (!(await next()).done);
        } catch {
          // The abort itself.
        }
        finish();
      };
      let stopped: Promise<void> | undefined;
      const stop = () => {
        interrupt.abort(signal?.reason);
        stopped ??= stopping = drain().finally(() => {
          if (stopping === stopped) stopping = undefined;
        });
        return stopped;
      };
      const stream = iteratorStream(chunks, {
        abortSignal: signal,
        next,
        onEnd: finish,
        failure: (error) =>
          signal?.aborted || isAbortError(error)
            ? { abort: signal?.reason ?? error }
            : { failure: translate(error, signal) },
        cancel: stop,
      }).pipeThrough(openAIChunkParts({ countDeltas: true, onCancel: () => void stop() }));
      // wllama's completion takes no stop sequences.
      return { stream, ...ignoredStopSequences(options, 'The CPU engine (wllama) takes no stop sequences.') };
    },

    async dispose(): Promise<void> {
      const wllama = instance;
      instance = undefined;
      await wllama?.exit();
    },
  };
  return engine;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function loadFailure(error: unknown): AiError {
  return new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The model could not be loaded: ${messageOf(error)}`, {
    cause: error,
  });
}

/**
 * A logger for wllama that hands every line to `onLine` (the engine reads llama.cpp's layer
 * count from them) and prints nothing: wllama's debug output and llama.cpp's load log and
 * warnings would fill the console on every load, and its failures reach the engine as errors.
 */
function quietLogger(onLine: (line: string) => void): WllamaLogger {
  const read = (...args: unknown[]) => {
    onLine(args.map((arg) => (typeof arg === 'string' ? arg : '')).join(' '));
  };
  return {
    debug: read,
    log: read,
    warn: read,
    error: read,
  };
}

function translate(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || isAbortError(error)) return signal?.reason ?? error;
  if (AiError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/kv_cache_full|context/i.test(message)) {
    const tooLong = `The conversation no longer fits the model’s context: ${message}`;
    return new AiError(AiErrorCode.INPUT_TOO_LONG, tooLong, { cause: error });
  }
  return new AiError(AiErrorCode.INTERNAL, `The CPU model failed: ${message}`, { cause: error });
}
