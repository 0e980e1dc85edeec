import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { GenerationTiming, RunEngine, RunLoadProgress } from './generation-controller.js';
import { runProvenance, type RunProvenance } from './run-provenance.js';

/** The states of one image run: GenerationStatus's, with RUNNING where a text run streams. */
export const ImageRunStatus = {
  IDLE: 'idle',
  /** Preparing the engine: downloading or loading a local model. */
  LOADING: 'loading',
  /** Waiting for the images (they arrive all at once: there is no partial output). */
  RUNNING: 'running',
  COMPLETE: 'complete',
  ABORTED: 'aborted',
  ERROR: 'error',
} as const;
export type ImageRunStatus = (typeof ImageRunStatus)[keyof typeof ImageRunStatus];

/** The outcome shape of the runtime's `generateImage` (structural, so this package stays engine-free). */
export interface ImageRunOutcome<I> {
  status: 'complete' | 'aborted' | 'error';
  images: I[];
  error?: { code: string; message: string; retryable?: boolean };
}

/** A finished image run: its outcome, timing, engine and provenance, and what the block started it with. */
export interface FinishedImageRun<I, M> {
  outcome: ImageRunOutcome<I>;
  timing: GenerationTiming;
  engine: RunEngine;
  provenance: RunProvenance;
  meta: M;
}

/**
 * What `render` shows in each state (the `@lit/task` render pattern). `run` is undefined when
 * the run ended before it had an engine (none is set up).
 */
export interface ImageRunRenderers<R, I, M> {
  idle?: () => R;
  loading?: (progress: RunLoadProgress | undefined, elapsedSeconds: number) => R;
  running?: (elapsedSeconds: number) => R;
  complete?: (run: FinishedImageRun<I, M> | undefined, outcome: ImageRunOutcome<I>) => R;
  aborted?: (run: FinishedImageRun<I, M> | undefined, outcome: ImageRunOutcome<I>) => R;
  error?: (run: FinishedImageRun<I, M> | undefined, outcome: ImageRunOutcome<I>) => R;
}

/**
 * Runs one image generation at a time for a Lit element, in GenerationController's shape:
 * `run()` creates and loads the engine, generates, and keeps the outcome, timing and
 * provenance as `lastRun`; `render({ loading, running, complete, aborted, error })` shows the
 * state. One AbortController per run, a new run aborts the old one, superseded results are
 * ignored, and disconnecting the element aborts. A separate controller rather than a
 * generalised GenerationController, because that one's API is a text stream (deltas, partial
 * text, time to first token, frame-throttled updates) that an image run does not have; what an
 * image run shows instead is the seconds it has been waiting (`elapsedSeconds`, ticking once
 * a second while busy).
 */
export class ImageRunController<I, M = undefined> implements ReactiveController {
  status: ImageRunStatus = ImageRunStatus.IDLE;
  /** The engine's loading progress while LOADING (a download, a compile). */
  loadProgress: RunLoadProgress | undefined;
  /** Whole seconds since the current run started. */
  elapsedSeconds = 0;
  /** The outcome of the last run (kept until the next run or `reset`). */
  outcome: ImageRunOutcome<I> | undefined;
  /** The last finished run that had an engine. */
  lastRun: FinishedImageRun<I, M> | undefined;
  private abortController: AbortController | undefined;
  private runId = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Injectable clock for tests (milliseconds). */
    private readonly now: () => number = () => performance.now(),
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
    clearInterval(this.ticker);
  }

  /** True while a run is loading or waiting for its images. */
  get busy(): boolean {
    return this.status === ImageRunStatus.LOADING || this.status === ImageRunStatus.RUNNING;
  }

  /**
   * Runs a whole image generation: `engine()` creates the engine (a throw, e.g. no engine set
   * up, becomes the run's error), loads it if it loads (status LOADING), then `generate`
   * (status RUNNING) resolves with the outcome. Resolves with the finished run, or undefined
   * when it was superseded or ended without an engine.
   */
  async run<E extends RunEngine>(
    engine: () => E,
    generate: (engine: E, signal: AbortSignal) => Promise<ImageRunOutcome<I>>,
    options: { meta: M },
  ): Promise<FinishedImageRun<I, M> | undefined> {
    this.abortController?.abort();
    const abortController = new AbortController();
    this.abortController = abortController;
    const runId = ++this.runId;
    const timing: GenerationTiming = { startedAt: this.now() };
    this.outcome = undefined;
    this.lastRun = undefined;
    this.loadProgress = undefined;
    this.startTicker(timing.startedAt);
    let created: E | undefined;
    let outcome: ImageRunOutcome<I>;
    try {
      created = engine();
      if (created.load) {
        this.setStatus(ImageRunStatus.LOADING);
        await created.load({
          abortSignal: abortController.signal,
          onProgress: (progress) => {
            this.loadProgress = progress;
            this.host.requestUpdate();
          },
        });
        if (runId !== this.runId) return undefined;
      }
      this.setStatus(ImageRunStatus.RUNNING);
      outcome = await generate(created, abortController.signal);
    } catch (error) {
      outcome = abortController.signal.aborted
        ? { status: 'aborted', images: [] }
        : { status: 'error', images: [], error: thrownError(error) };
    }
    if (runId !== this.runId) return undefined;
    clearInterval(this.ticker);
    timing.finishedAt = this.now();
    this.abortController = undefined;
    this.loadProgress = undefined;
    this.outcome = outcome;
    this.lastRun = created && {
      outcome,
      timing,
      engine: created,
      provenance: runProvenance(created, { status: outcome.status, text: '' }, timing),
      meta: options.meta,
    };
    this.setStatus(
      outcome.status === 'complete'
        ? ImageRunStatus.COMPLETE
        : outcome.status === 'aborted'
          ? ImageRunStatus.ABORTED
          : ImageRunStatus.ERROR,
    );
    return this.lastRun;
  }

  /** What to show for the current state; undefined when that state has no renderer. */
  render<R>(renderers: ImageRunRenderers<R, I, M>): R | undefined {
    const { status, outcome } = this;
    if (status === ImageRunStatus.IDLE) return renderers.idle?.();
    if (status === ImageRunStatus.LOADING) return renderers.loading?.(this.loadProgress, this.elapsedSeconds);
    if (status === ImageRunStatus.RUNNING) return renderers.running?.(this.elapsedSeconds);
    // The finished states are named as the outcomes are.
    return outcome && renderers[status]?.(this.lastRun, outcome);
  }

  /** Stops the current run (its outcome is `aborted`). */
  stop(): void {
    this.abortController?.abort();
  }

  private startTicker(startedAt: number): void {
    clearInterval(this.ticker);
    this.elapsedSeconds = 0;
    this.ticker = setInterval(() => {
      this.elapsedSeconds = Math.round((this.now() - startedAt) / 1000);
      this.host.requestUpdate();
    }, 1000);
  }

  private setStatus(status: ImageRunStatus): void {
    this.status = status;
    this.host.requestUpdate();
  }
}

/** A thrown error as an outcome's error (AiError's code, message and retryable when it has them). */
function thrownError(error: unknown): NonNullable<ImageRunOutcome<unknown>['error']> {
  const fields: { code?: unknown; message?: unknown; retryable?: unknown } =
    typeof error === 'object' && error !== null ? error : {};
  return {
    code: typeof fields.code === 'string' ? fields.code : 'INTERNAL',
    message: typeof fields.message === 'string' ? fields.message : String(error),
    retryable: fields.retryable === true,
  };
}
