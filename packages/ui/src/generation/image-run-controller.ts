import type { ReactiveControllerHost } from 'lit';
import { RunLifecycle, type GenerationTiming, type RunEngine, type RunLoadProgress } from './run-lifecycle.js';
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

/** Denoising progress of a local run: `step` of `totalSteps` done. */
export interface ImageRunStep {
  step: number;
  totalSteps: number;
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
  /** `step` is set while a local model denoises (one per step, across all images). */
  running?: (elapsedSeconds: number, step: ImageRunStep | undefined) => R;
  complete?: (run: FinishedImageRun<I, M> | undefined, outcome: ImageRunOutcome<I>) => R;
  aborted?: (run: FinishedImageRun<I, M> | undefined, outcome: ImageRunOutcome<I>) => R;
  error?: (run: FinishedImageRun<I, M> | undefined, outcome: ImageRunOutcome<I>) => R;
}

/**
 * Runs one image generation at a time for a Lit element, on the same run lifecycle as
 * GenerationController (abort per run, supersession, load with progress, outcome → status):
 * `run()` creates and loads the engine, generates, and keeps the outcome, timing and
 * provenance as `lastRun`; `render({ loading, running, complete, aborted, error })` shows the
 * state. What an image run shows instead of streamed text is the seconds it has been waiting
 * (`elapsedSeconds`, ticking once a second while busy) and, for a local model, its denoising
 * steps (`step`).
 */
export class ImageRunController<I, M = undefined> extends RunLifecycle<'running'> {
  /** Whole seconds since the current run started. */
  elapsedSeconds = 0;
  /** The current run's denoising progress (local engines report one per step); never goes back. */
  step: ImageRunStep | undefined;
  /** The outcome of the last run (kept until the next run or `reset`). */
  outcome: ImageRunOutcome<I> | undefined;
  /** The last finished run that had an engine. */
  lastRun: FinishedImageRun<I, M> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, /** Injectable clock for tests (milliseconds). */ now?: () => number) {
    super(host, ImageRunStatus.RUNNING, now);
  }

  override hostDisconnected(): void {
    super.hostDisconnected();
    clearInterval(this.ticker);
  }

  /**
   * Runs a whole image generation: `engine()` creates the engine (a throw, e.g. no engine set
   * up, becomes the run's error), loads it if it loads (status LOADING), then `generate`
   * (status RUNNING) resolves with the outcome; `generate` passes each denoising step to its
   * `onStep` (shown as `step`, never going back). `onLoaded` runs after a load (e.g. to tell the
   * pickers a model is now cached). Resolves with the finished run, or undefined when it was
   * superseded or ended without an engine.
   */
  async run<E extends RunEngine>(
    engine: () => E,
    generate: (engine: E, signal: AbortSignal, onStep: (step: ImageRunStep) => void) => Promise<ImageRunOutcome<I>>,
    options: { meta: M; onLoaded?: () => void },
  ): Promise<FinishedImageRun<I, M> | undefined> {
    const ticket = this.begin();
    const { timing } = ticket;
    this.outcome = undefined;
    this.lastRun = undefined;
    this.step = undefined;
    this.startTicker(timing.startedAt);
    let created: E | undefined;
    let outcome: ImageRunOutcome<I>;
    try {
      created = engine();
      // An engine with nothing to load starts at once (busy from the call on).
      if (created.load) {
        await this.load(created, ticket, options.onLoaded);
        if (!ticket.current()) return undefined;
      }
      this.setStatus(ImageRunStatus.RUNNING);
      outcome = await generate(created, ticket.signal, (step) => {
        if (!ticket.current() || (this.step && step.step < this.step.step)) return;
        this.step = { step: step.step, totalSteps: step.totalSteps };
        this.host.requestUpdate();
      });
    } catch (error) {
      outcome = ticket.signal.aborted
        ? { status: 'aborted', images: [] }
        : { status: 'error', images: [], error: thrownError(error) };
    }
    if (!ticket.current()) return undefined;
    clearInterval(this.ticker);
    this.outcome = outcome;
    this.settle(ticket, outcome.status);
    this.lastRun = created && {
      outcome,
      timing,
      engine: created,
      provenance: runProvenance(created, { status: outcome.status, text: '' }, timing),
      meta: options.meta,
    };
    return this.lastRun;
  }

  /** What to show for the current state; undefined when that state has no renderer. */
  render<R>(renderers: ImageRunRenderers<R, I, M>): R | undefined {
    const { status, outcome } = this;
    if (status === ImageRunStatus.IDLE) return renderers.idle?.();
    if (status === ImageRunStatus.LOADING) return renderers.loading?.(this.loadProgress, this.elapsedSeconds);
    if (status === ImageRunStatus.RUNNING) return renderers.running?.(this.elapsedSeconds, this.step);
    // The finished states are named as the outcomes are.
    return outcome && renderers[status]?.(this.lastRun, outcome);
  }

  private startTicker(startedAt: number): void {
    clearInterval(this.ticker);
    this.elapsedSeconds = 0;
    this.ticker = setInterval(() => {
      this.elapsedSeconds = Math.round((this.now() - startedAt) / 1000);
      this.host.requestUpdate();
    }, 1000);
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
