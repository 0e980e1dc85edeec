// The GPU engine as it runs once a model loads: web-llm's worker, loading, streaming and
// disposal. Blocks import it from the runtime assets (engines/webllm.js) only when the engine
// loads; `createWebLLMEngine` (webllm-engine.ts) is the light factory in front of it.
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
import { webgpuAdapterAvailability } from '../../provider-utils/gpu-support.js';
import type {
  MLCEngineLike,
  WebLLMCacheOptions,
  WebLLMChatRequest,
  WebLLMChunk,
  WebLLMEngine,
  WebLLMEngineConfig,
  WebLLMEngineSettings,
  WebLLMModuleLike,
  WebLLMProgressReport,
} from './webllm-engine.js';
import { toWebLLMError, workerError } from './webllm-errors.js';
import { absoluteAppConfig, type WebLLMAppConfig } from './webllm-models.js';

/** A created web-llm engine and the way to stop what runs it. */
interface Created {
  engine: MLCEngineLike;
  /** Rejects when the worker dies or cannot start (a dead worker never answers). */
  failure: Promise<never> | undefined;
  /** Whether `failure` has rejected. */
  failed: () => boolean;
  terminate: () => void;
}

interface Generation {
  /** The consumer cancelled; the generation is being drained so web-llm releases its lock. */
  cancelled: boolean;
  drained: Promise<void>;
}

// web-llm restarts `progress` at 0 for each phase; these are the phases' shares of the bar.
const PHASES: { prefix: RegExp; from: number; to: number }[] = [
  { prefix: /^(Start to fetch params|Fetching param cache)/, from: 0.05, to: 0.8 },
  { prefix: /^Loading model from cache/, from: 0.8, to: 0.9 },
  { prefix: /^Loading GPU shader modules/, from: 0.9, to: 0.99 },
  { prefix: /^Finish loading/, from: 0.99, to: 0.99 },
];

/** The bar's fraction for one web-llm report, before the never-decreasing rule. */
function fractionOf(report: WebLLMProgressReport): number | undefined {
  const phase = PHASES.find((candidate) => candidate.prefix.test(report.text));
  if (!phase) return undefined;
  const progress = Number.isFinite(report.progress) ? Math.min(1, Math.max(0, report.progress)) : 0;
  return phase.from + (phase.to - phase.from) * progress;
}

const pageUrl = (): string | undefined => (globalThis as { location?: { href: string } }).location?.href;
const noop = () => undefined;

/** Resolves after `ms` unless stopped first (so no timer outlives its use). */
function delay(ms: number): { promise: Promise<void>; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return {
    promise,
    stop: () => {
      clearTimeout(timer);
    },
  };
}

/** A promise that rejects with the signal's reason once it aborts, and a way to stop listening. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; stop: () => void } {
  let stop: () => void = noop;
  const promise = new Promise<never>((_, reject) => {
    const onAbort = () => {
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stop = () => {
      signal.removeEventListener('abort', onAbort);
    };
  });
  return { promise, stop };
}

function moduleUrlFor(assetBaseUrl: string | undefined): string {
  const base = assetBaseUrl ? new URL(assetBaseUrl, pageUrl()).href : runtimeAssetBaseUrl();
  return new URL('webllm/index.js', base.endsWith('/') ? base : `${base}/`).href;
}

async function importWebLLM(url: string): Promise<WebLLMModuleLike> {
  try {
    return await importModule<WebLLMModuleLike>(url);
  } catch (error) {
    throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, `The GPU engine (web-llm) could not be loaded from ${url}`, {
      cause: error,
    });
  }
}

/**
 * Starts web-llm's worker handler in a module worker. `new Worker(url)` throws for a
 * cross-origin URL (the asset base may be another origin than the page), so the worker is a
 * same-origin Blob URL whose only job is to import web-llm from its absolute URL.
 */
function startWorker(moduleUrl: string): {
  worker: Worker;
  failure: Promise<never>;
  failed: () => boolean;
  stop: () => void;
} {
  const source = [
    `import { WebWorkerMLCEngineHandler } from ${JSON.stringify(moduleUrl)};`,
    'const handler = new WebWorkerMLCEngineHandler();',
    'self.onmessage = (message) => handler.onmessage(message);',
  ].join('\n');
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, { type: 'module', name: 'ai-blocks-webllm' });
  const failure = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event: ErrorEvent | Event) => {
      // Handled here: otherwise the page reports it as an uncaught error too.
      event.preventDefault();
      // A worker whose module could not load fires a plain Event; an uncaught exception inside
      // it fires an ErrorEvent. Either way the pending request will never be answered.
      const message = 'message' in event && event.message ? event.message : undefined;
      reject(
        message === undefined
          ? new AiError(
              AiErrorCode.ENGINE_UNAVAILABLE,
              `The GPU engine’s worker could not start web-llm from ${moduleUrl}`,
              { cause: event },
            )
          : workerError(message),
      );
    });
  });
  let failed = false;
  // Nobody may be waiting when the worker dies (between two answers).
  failure.catch(() => {
    failed = true;
  });
  return {
    worker,
    failure,
    failed: () => failed,
    stop: () => {
      worker.terminate();
      URL.revokeObjectURL(blobUrl);
    },
  };
}

/** Unloads (briefly waiting: a busy or dead worker may not answer) and stops the worker. */
async function release(created: Created): Promise<void> {
  const patience = delay(2000);
  await Promise.race([
    created.engine.unload().catch(noop),
    patience.promise,
    ...(created.failure ? [created.failure.catch(noop)] : []),
  ]);
  patience.stop();
  created.terminate();
}

/** The web-llm engine itself (see `createWebLLMEngine`); web-llm's 6.8 MB module is imported when the model loads. */
export function createWebLLMImplementation(settings: WebLLMEngineSettings): WebLLMEngine {
  const useWorker = settings.useWorker ?? true;
  // Resolved when loading: the asset base may be set after the engine was created.
  const moduleUrl = () => moduleUrlFor(settings.assetBaseUrl);
  let instance: Created | undefined;
  let inWorker = false;
  let generation: Generation | undefined;
  let module: Promise<WebLLMModuleLike> | undefined;
  // Aborted by dispose(), so that a load under way stops instead of installing its model after.
  let disposal = new AbortController();

  const webllm = (): Promise<WebLLMModuleLike> => {
    if (settings.webllm) return Promise.resolve(settings.webllm);
    // A failed import may be retried by the next load.
    module ??= importWebLLM(moduleUrl()).catch((error: unknown) => {
      module = undefined;
      throw error;
    });
    return module;
  };

  async function create(config: WebLLMEngineConfig): Promise<Created> {
    if (settings.createEngine) {
      const engine = await settings.createEngine(settings.modelId, config);
      const worker = engine.worker as { terminate?: () => void } | undefined;
      inWorker = typeof worker?.terminate === 'function';
      return { engine, failure: undefined, failed: () => false, terminate: () => worker?.terminate?.() };
    }
    const lib = await webllm();
    if (!useWorker || typeof Worker === 'undefined') {
      inWorker = false;
      return { engine: new lib.MLCEngine(config), failure: undefined, failed: () => false, terminate: noop };
    }
    const { worker, failure, failed, stop } = startWorker(moduleUrl());
    inWorker = true;
    return { engine: new lib.WebWorkerMLCEngine(worker, config), failure, failed, terminate: stop };
  }

  async function loadNow(options: LoadOptions): Promise<void> {
    options.abortSignal?.throwIfAborted();
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, disposal.signal]) : disposal.signal;
    let last = 0;
    let lastReport: WebLLMProgressReport | undefined;
    const emit = (fraction: number, text: string) => {
      last = Math.max(last, fraction);
      const update: LoadProgress = { fraction: last, text };
      settings.onProgress?.(update);
      options.onProgress?.(update);
    };
    emit(0, 'Starting the GPU engine');
    const appConfig = absoluteAppConfig(settings.appConfig ?? (await webllm()).prebuiltAppConfig, pageUrl());
    signal.throwIfAborted();
    const config: WebLLMEngineConfig = {
      appConfig,
      initProgressCallback: (report) => {
        lastReport = report;
        emit(fractionOf(report) ?? last, report.text);
      },
      ...(settings.logLevel ? { logLevel: settings.logLevel } : {}),
    };
    let created: Created;
    try {
      created = await create(config);
    } catch (error) {
      // e.g. a browser that refuses module workers from Blob URLs.
      throw AiError.isInstance(error)
        ? error
        : new AiError(
            AiErrorCode.ENGINE_UNAVAILABLE,
            `The GPU engine could not start: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
    }
    const aborted = whenAborted(signal);
    // web-llm has no AbortSignal: unload() aborts a reload in progress.
    const onAbort = () => {
      void created.engine.unload().catch(noop);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const reload = settings.chatOptions
      ? created.engine.reload(settings.modelId, settings.chatOptions)
      : created.engine.reload(settings.modelId);
    // Settles later when aborted or when the worker died; nobody awaits it then.
    reload.catch(noop);
    try {
      await Promise.race([reload, aborted.promise, ...(created.failure ? [created.failure] : [])]);
      // An aborted reload may also just return.
      signal.throwIfAborted();
    } catch (error) {
      const cleanup = release(created);
      // An abort answers at once; the worker stops in the background.
      if (signal.aborted) throw signal.reason;
      await cleanup;
      throw toWebLLMError(error, 'load');
    } finally {
      aborted.stop();
      signal.removeEventListener('abort', onAbort);
    }
    instance = created;
    emit(
      1,
      lastReport && lastReport.progress >= 1 && /^Finish loading/.test(lastReport.text)
        ? lastReport.text
        : 'Ready on the GPU',
    );
  }

  /** Forgets a broken model (device lost, dead worker) so the next load starts afresh. */
  function drop(created: Created): void {
    if (instance !== created) return;
    instance = undefined;
    void release(created);
  }

  // One load at a time; a failed or aborted load can be retried.
  const loadOnce = singleFlight(loadNow);

  const engine: WebLLMEngine = {
    specificationVersion: 'v1',
    engineId: 'webllm',
    modelId: settings.modelId,
    kind: 'local',
    get inWorker() {
      return inWorker;
    },

    async availability(): Promise<Availability> {
      if (instance) return 'available';
      return webgpuAdapterAvailability();
    },

    load(options: LoadOptions = {}): Promise<void> {
      if (instance) return Promise.resolve();
      return loadOnce(options);
    },

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      const signal = options.abortSignal;
      await engine.load(signal ? { abortSignal: signal } : {});
      // An answer the reader cancelled is still being drained: wait for web-llm's lock.
      if (generation?.cancelled) {
        const patience = delay(10_000);
        await Promise.race([generation.drained, patience.promise]);
        patience.stop();
      }
      // A worker that died between two answers would never answer: start a new one.
      if (instance?.failed()) {
        drop(instance);
        await engine.load(signal ? { abortSignal: signal } : {});
      }
      const created = instance;
      if (!created) throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, 'The GPU model is not loaded');
      if (generation) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'The GPU model is busy with another answer');
      signal?.throwIfAborted();
      const mlc = created.engine;
      const request: WebLLMChatRequest = {
        messages: [
          ...(options.system ? [{ role: 'system' as const, content: options.system }] : []),
          ...options.messages,
        ],
        stream: true,
        stream_options: { include_usage: true },
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.maxOutputTokens !== undefined ? { max_tokens: options.maxOutputTokens } : {}),
        ...(options.stopSequences?.length ? { stop: options.stopSequences } : {}),
      };
      let markDrained: () => void = noop;
      const current: Generation = {
        cancelled: false,
        drained: new Promise<void>((resolve) => (markDrained = resolve)),
      };
      generation = current;
      // web-llm clears its interrupt flag when a generation starts, so an early interrupt can be
      // lost: it is sent again for every chunk that arrives after the abort.
      const interrupt = () => {
        mlc.interruptGenerate();
      };
      signal?.addEventListener('abort', interrupt, { once: true });
      const settle = () => {
        signal?.removeEventListener('abort', interrupt);
        if (generation === current) generation = undefined;
        markDrained();
      };
      // A dead worker never answers, so every wait on it also watches for its death.
      const guard = <T>(promise: Promise<T>): Promise<T> =>
        created.failure ? Promise.race([promise, created.failure]) : promise;
      const next = (iterator: AsyncIterator<WebLLMChunk>) => guard(iterator.next());
      const fail = (error: unknown): unknown => {
        settle();
        if (signal?.aborted || isAbortError(error)) return signal?.reason ?? error;
        const mapped = toWebLLMError(error, 'generate');
        if (mapped.code === AiErrorCode.DEVICE_LOST || created.failed()) drop(created);
        return mapped;
      };

      let chunks: AsyncIterator<WebLLMChunk>;
      let pending: IteratorResult<WebLLMChunk> | undefined;
      try {
        chunks = (await guard(mlc.chat.completions.create(request)))[Symbol.asyncIterator]();
        // Read ahead to the first chunk, so failures before any output (a prompt too long for
        // the context, a lost device) reject here as the interface asks.
        pending = await next(chunks);
      } catch (error) {
        throw fail(error);
      }

      // Stop generating, then read the stream to its end in the background: a web-llm
      // generation holds the model's lock until its stream finishes, in the worker too.
      const stopAnswer = () => {
        if (generation !== current || current.cancelled) return;
        current.cancelled = true;
        interrupt();
        void (async () => {
          try {
            for (let result = await next(chunks); !result.done; result = await next(chunks)) interrupt();
          } catch {
            // The generation ended either way.
          } finally {
            settle();
          }
        })();
      };
      const stream = iteratorStream(chunks, {
        first: pending,
        next: () => next(chunks),
        // web-llm may miss an interrupt sent before generating began: say it again.
        onValue: () => {
          if (signal?.aborted) interrupt();
        },
        onEnd: settle,
        failure: (error) => {
          const failure = fail(error);
          return AiError.isInstance(failure) ? { failure } : { abort: failure };
        },
        cancel: stopAnswer,
      }).pipeThrough(openAIChunkParts({ countDeltas: true, onCancel: stopAnswer }));
      return { stream };
    },

    async dispose(): Promise<void> {
      disposal.abort(new DOMException('The GPU engine was disposed', 'AbortError'));
      disposal = new AbortController();
      const created = instance;
      instance = undefined;
      if (created) await release(created);
    },
  };
  return engine;
}

/** Whether the model's weights are all in web-llm's cache (so loading needs no download). */
export async function isWebLLMModelCached(
  modelId: string,
  appConfig?: WebLLMAppConfig,
  options: WebLLMCacheOptions = {},
): Promise<boolean> {
  const lib = options.webllm ?? (await importWebLLM(moduleUrlFor(options.assetBaseUrl)));
  try {
    return await lib.hasModelInCache(modelId, absoluteAppConfig(appConfig ?? lib.prebuiltAppConfig, pageUrl()));
  } catch (error) {
    throw toWebLLMError(error, 'load');
  }
}

/** Deletes everything web-llm cached for the model: weights, tokenizer, model library and config. */
export async function deleteWebLLMModel(
  modelId: string,
  appConfig?: WebLLMAppConfig,
  options: WebLLMCacheOptions = {},
): Promise<void> {
  const lib = options.webllm ?? (await importWebLLM(moduleUrlFor(options.assetBaseUrl)));
  try {
    await lib.deleteModelAllInfoInCache(modelId, absoluteAppConfig(appConfig ?? lib.prebuiltAppConfig, pageUrl()));
  } catch (error) {
    throw toWebLLMError(error, 'load');
  }
}
