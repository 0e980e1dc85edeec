import { AiError, type SerializedAiError } from '@ai-blocks/runtime';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { runProvenance, type RunProvenance } from './run-provenance.js';

/** The states of one generation, as a const object (the `@lit/task` TaskStatus pattern). */
export const GenerationStatus = {
  IDLE: 'idle',
  /** Preparing the engine: downloading or loading a local model. */
  LOADING: 'loading',
  STREAMING: 'streaming',
  COMPLETE: 'complete',
  ABORTED: 'aborted',
  ERROR: 'error',
} as const;
export type GenerationStatus = (typeof GenerationStatus)[keyof typeof GenerationStatus];

/** The outcome shape of the runtime's `streamText` (structural: the runtime's `TextOutcome` fits). */
export interface GenerationOutcome {
  status: 'complete' | 'aborted' | 'error';
  text: string;
  finishReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
  error?: SerializedAiError;
}

export interface GenerationRun {
  textStream: AsyncIterable<string>;
  outcome: Promise<GenerationOutcome>;
}

export interface GenerationTiming {
  startedAt: number;
  firstTokenAt?: number;
  finishedAt?: number;
}

/** Loading progress as engines report it (structural: the runtime's LoadProgress fits). */
export interface RunLoadProgress {
  fraction: number;
  text: string;
}

/** What a run needs of an engine (structural: the runtime's TextEngine fits). */
export interface RunEngine {
  readonly engineId: string;
  readonly modelId: string;
  load?(options: { abortSignal?: AbortSignal; onProgress?: (progress: RunLoadProgress) => void }): Promise<void>;
}

/** A finished run: its outcome, timing, engine and provenance, and what the block started it with. */
export interface FinishedRun<M> {
  outcome: GenerationOutcome;
  timing: GenerationTiming;
  engine: RunEngine;
  provenance: RunProvenance;
  meta: M;
}

/** What `render` shows in each state (the `@lit/task` render pattern). */
export interface GenerationRenderers<R, M> {
  idle?: () => R;
  loading?: (progress: RunLoadProgress | undefined) => R;
  streaming?: (text: string) => R;
  complete?: (run: FinishedRun<M> | undefined, outcome: GenerationOutcome) => R;
  aborted?: (run: FinishedRun<M> | undefined, outcome: GenerationOutcome) => R;
  error?: (run: FinishedRun<M> | undefined, outcome: GenerationOutcome) => R;
}

export interface GenerationControllerOptions {
  /** Each text delta as it arrives (e.g. to append to a StreamingMarkdownView). */
  onDelta?: (delta: string) => void;
  /** Called once per run that was not superseded, with its outcome. */
  onFinish?: (outcome: GenerationOutcome, timing: GenerationTiming) => void;
  /** Injectable clock for tests. */
  now?: () => number;
}

/**
 * Runs one generation at a time for a Lit element: one AbortController per run, a new run
 * aborts the old one, results of superseded runs are ignored, and disconnecting the element
 * aborts. Host updates are requested at most once per animation frame while streaming.
 */
export class GenerationController<M = undefined> implements ReactiveController {
  status: GenerationStatus = GenerationStatus.IDLE;
  /** The engine's loading progress while LOADING (a download, a compile). */
  loadProgress: RunLoadProgress | undefined;
  /** The last finished run started with `run` (kept until the next run or `reset`). */
  lastRun: FinishedRun<M> | undefined;
  /** Text of the current (or last) run, partial text included. */
  text = '';
  outcome: GenerationOutcome | undefined;
  timing: GenerationTiming | undefined;
  private abortController: AbortController | undefined;
  private runId = 0;
  private updateScheduled = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: GenerationControllerOptions = {},
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** True while a run is loading or streaming. */
  get busy(): boolean {
    return this.status === GenerationStatus.LOADING || this.status === GenerationStatus.STREAMING;
  }

  /**
   * Runs a whole generation with `engine`: loads it (status LOADING, with `loadProgress`),
   * streams what `stream` returns, and keeps the outcome, timing and provenance as `lastRun`,
   * with `meta` (what the block needs to keep the output: the prompt, the messages).
   * `onLoaded` runs after a load (e.g. to tell other pickers a model is now cached).
   */
  async run(
    engine: RunEngine,
    stream: (signal: AbortSignal) => Promise<GenerationRun> | GenerationRun,
    options: { meta: M; onLoaded?: () => void },
  ): Promise<FinishedRun<M> | undefined> {
    this.lastRun = undefined;
    this.loadProgress = undefined;
    let finished: FinishedRun<M> | undefined;
    const outcome = await this.start(
      async (signal) => {
        if (engine.load) {
          await engine.load({
            abortSignal: signal,
            onProgress: (progress) => {
              this.loadProgress = progress;
              this.host.requestUpdate();
            },
          });
          options.onLoaded?.();
        }
        this.loadProgress = undefined;
        return stream(signal);
      },
      (result, timing) => {
        finished = {
          outcome: result,
          timing,
          engine,
          provenance: runProvenance(engine, result, timing),
          meta: options.meta,
        };
        this.lastRun = finished;
      },
    );
    this.loadProgress = undefined;
    return outcome ? finished : undefined;
  }

  /** What to show for the current state; undefined when that state has no renderer. */
  render<R>(renderers: GenerationRenderers<R, M>): R | undefined {
    const outcome = this.outcome;
    switch (this.status) {
      case GenerationStatus.IDLE:
        return renderers.idle?.();
      case GenerationStatus.LOADING:
        return renderers.loading?.(this.loadProgress);
      case GenerationStatus.STREAMING:
        return renderers.streaming?.(this.text);
      case GenerationStatus.COMPLETE:
        return outcome && renderers.complete?.(this.lastRun, outcome);
      case GenerationStatus.ABORTED:
        return outcome && renderers.aborted?.(this.lastRun, outcome);
      case GenerationStatus.ERROR:
        return outcome && renderers.error?.(this.lastRun, outcome);
    }
  }

  /**
   * Starts a run. `prepare` may load an engine first (status LOADING) and returns the
   * runtime's stream; it receives the run's AbortSignal.
   */
  async start(
    prepare: (signal: AbortSignal) => Promise<GenerationRun> | GenerationRun,
    onSettled?: (outcome: GenerationOutcome, timing: GenerationTiming) => void,
  ): Promise<GenerationOutcome | undefined> {
    this.abortController?.abort();
    const abortController = new AbortController();
    this.abortController = abortController;
    const runId = ++this.runId;
    const now = this.options.now ?? (() => performance.now());
    const timing: GenerationTiming = { startedAt: now() };
    this.timing = timing;
    this.text = '';
    this.outcome = undefined;
    this.setStatus(GenerationStatus.LOADING);
    let outcome: GenerationOutcome;
    try {
      const run = await prepare(abortController.signal);
      if (runId !== this.runId) return undefined;
      for await (const delta of run.textStream) {
        if (runId !== this.runId) break;
        if (timing.firstTokenAt === undefined) {
          timing.firstTokenAt = now();
          this.setStatus(GenerationStatus.STREAMING);
        }
        this.text += delta;
        this.options.onDelta?.(delta);
        this.scheduleUpdate();
      }
      outcome = await run.outcome;
    } catch (error) {
      // `prepare` failed before any stream existed (e.g. a model failed to load).
      outcome = abortController.signal.aborted
        ? { status: 'aborted', text: this.text }
        : { status: 'error', text: this.text, error: AiError.from(error).toJSON() };
    }
    if (runId !== this.runId) return undefined;
    timing.finishedAt = now();
    this.outcome = outcome;
    this.text = outcome.text;
    this.abortController = undefined;
    onSettled?.(outcome, timing);
    this.setStatus(
      outcome.status === 'complete'
        ? GenerationStatus.COMPLETE
        : outcome.status === 'aborted'
          ? GenerationStatus.ABORTED
          : GenerationStatus.ERROR,
    );
    this.options.onFinish?.(outcome, timing);
    return outcome;
  }

  /** Stops the current run; its partial text is kept. */
  stop(): void {
    this.abortController?.abort();
  }

  /** Forgets the last run (back to IDLE). */
  reset(): void {
    this.stop();
    this.runId += 1;
    this.text = '';
    this.outcome = undefined;
    this.timing = undefined;
    this.lastRun = undefined;
    this.loadProgress = undefined;
    this.setStatus(GenerationStatus.IDLE);
  }

  private setStatus(status: GenerationStatus): void {
    this.status = status;
    this.host.requestUpdate();
  }

  private scheduleUpdate(): void {
    if (this.updateScheduled) return;
    this.updateScheduled = true;
    requestAnimationFrame(() => {
      this.updateScheduled = false;
      this.host.requestUpdate();
    });
  }
}
