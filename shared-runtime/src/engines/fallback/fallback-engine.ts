import type {
  Availability,
  EngineKind,
  LoadOptions,
  LoadProgress,
  TextCallOptions,
  TextEngine,
  TextStreamPart,
  TextStreamResult,
} from '../../interface/engine.js';
import { AiError, AiErrorCode, isAbortError } from '../../interface/errors.js';

export interface FallbackEngineSettings {
  /** The engine to try first (e.g. web-llm on the GPU). */
  primary: TextEngine;
  /** Creates the engine to use when the primary cannot (e.g. the Wasm engine); called at most once. */
  fallback: () => TextEngine;
  /** Told once, when the fallback takes over, with the primary's failure. */
  onFallback?: (reason: AiError) => void;
}

export interface FallbackEngine extends TextEngine {
  load(options?: LoadOptions): Promise<void>;
  dispose(): Promise<void>;
  /** Why the fallback took over; undefined while the primary is in use. */
  readonly fallbackReason: AiError | undefined;
  /** The engine answering now. */
  readonly active: TextEngine;
}

/**
 * An engine that uses `primary` and switches to `fallback` for good when the primary cannot
 * load (not when the load was aborted) or loses its GPU device. A device lost mid-answer ends
 * that answer with the DEVICE_LOST error and keeps its partial text; the caller re-sends the
 * conversation and the next call runs on the fallback, so nothing is lost. A device lost
 * before any output is retried on the fallback at once. `engineId`, `modelId` and `kind`
 * report the engine in use, for provenance.
 */
export function createFallbackEngine(settings: FallbackEngineSettings): FallbackEngine {
  let created: TextEngine | undefined;
  let fallback: TextEngine | undefined;
  let reason: AiError | undefined;
  let primaryLoaded = false;

  const fallbackEngine = (): TextEngine => (created ??= settings.fallback());
  const active = (): TextEngine => fallback ?? settings.primary;

  function switchToFallback(why: AiError): TextEngine {
    if (fallback) return fallback;
    fallback = fallbackEngine();
    reason = why;
    // The primary is broken; free what it holds (GPU memory, a worker).
    void settings.primary.dispose?.().catch(() => undefined);
    settings.onFallback?.(why);
    return fallback;
  }

  const aborted = (error: unknown, signal: AbortSignal | undefined) => signal?.aborted === true || isAbortError(error);

  async function loadFallback(engine: TextEngine, options: LoadOptions, from: number): Promise<void> {
    const onProgress = options.onProgress;
    // The bar continues from where the primary left it instead of jumping back to 0.
    const rescaled: LoadOptions = {
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      ...(onProgress
        ? {
            onProgress: (update: LoadProgress) => {
              onProgress({ ...update, fraction: from + (1 - from) * update.fraction });
            },
          }
        : {}),
    };
    await engine.load?.(rescaled);
  }

  const engine: FallbackEngine = {
    specificationVersion: 'v1',
    get engineId(): string {
      return active().engineId;
    },
    get modelId(): string {
      return active().modelId;
    },
    get kind(): EngineKind {
      return active().kind;
    },
    get fallbackReason() {
      return reason;
    },
    get active() {
      return active();
    },

    async availability(): Promise<Availability> {
      if (fallback) return fallback.availability();
      const primary = await settings.primary.availability();
      // Where the primary cannot run, this engine still can, through the fallback.
      return primary === 'unavailable' ? fallbackEngine().availability() : primary;
    },

    async load(options: LoadOptions = {}): Promise<void> {
      if (fallback) {
        await loadFallback(fallback, options, 0);
        return;
      }
      if (primaryLoaded || !settings.primary.load) return;
      let reached = 0;
      const onProgress = options.onProgress;
      try {
        await settings.primary.load({
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
          ...(onProgress
            ? {
                onProgress: (update: LoadProgress) => {
                  reached = update.fraction;
                  onProgress(update);
                },
              }
            : {}),
        });
        primaryLoaded = true;
      } catch (error) {
        if (aborted(error, options.abortSignal)) throw error;
        await loadFallback(switchToFallback(AiError.from(error)), options, reached);
      }
    },

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      await engine.load(options.abortSignal ? { abortSignal: options.abortSignal } : {});
      const current = active();
      let result: TextStreamResult;
      try {
        result = await current.doStream(options);
      } catch (error) {
        // Nothing was shown yet, so the fallback can answer this very call.
        if (
          current === settings.primary &&
          AiError.isInstance(error) &&
          error.code === AiErrorCode.DEVICE_LOST &&
          !aborted(error, options.abortSignal)
        ) {
          const next = switchToFallback(error);
          await loadFallback(next, options.abortSignal ? { abortSignal: options.abortSignal } : {}, 0);
          return next.doStream(options);
        }
        throw error;
      }
      if (current !== settings.primary) return result;
      // Watch the primary's answer for a lost device; the parts pass through unchanged.
      const stream = result.stream.pipeThrough(
        new TransformStream<TextStreamPart, TextStreamPart>({
          transform(part, controller) {
            if (part.type === 'error' && AiError.isInstance(part.error) && part.error.code === AiErrorCode.DEVICE_LOST)
              switchToFallback(part.error);
            controller.enqueue(part);
          },
        }),
      );
      return { ...result, stream };
    },

    async dispose(): Promise<void> {
      await Promise.all([settings.primary.dispose?.(), created?.dispose?.()]);
    },
  };
  return engine;
}
