import { AiError, type SerializedAiError } from '@ai-blocks/runtime';
import type { ReactiveControllerHost } from 'lit';
import {
  RunLifecycle,
  type GenerationTiming,
  type RunEngine,
  type RunLoadProgress,
  type RunTicket,
} from './run-lifecycle.js';
import { runProvenance, type RunProvenance } from './run-provenance.js';

export type { GenerationTiming, RunEngine, RunLoadProgress } from './run-lifecycle.js';

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
  /** The model the server said answered, when it named one. */
  responseModelId?: string;
}

export interface GenerationRun {
  textStream: AsyncIterable<string>;
  outcome: Promise<GenerationOutcome>;
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
 * Runs one generation at a time for a Lit element (the run lifecycle: one AbortController per
 * run, a new run supersedes the old one, disconnecting aborts) and streams its text. Host
 * updates are requested at most once per animation frame while streaming.
 */
export class GenerationController<M = undefined> extends RunLifecycle<'streaming'> {
  /** The last finished run started with `run` (kept until the next run or `reset`). */
  lastRun: FinishedRun<M> | undefined;
  /** Text of the current (or last) run, partial text included. */
  text = '';
  outcome: GenerationOutcome | undefined;
  timing: GenerationTiming | undefined;
  private updateScheduled = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: GenerationControllerOptions = {},
  ) {
    super(host, GenerationStatus.STREAMING, options.now);
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
    let finished: FinishedRun<M> | undefined;
    const outcome = await this.start(
      async (signal, ticket) => {
        await this.load(engine, ticket, options.onLoaded);
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
      default:
        // The finished states are named as the outcomes are.
        return outcome && renderers[this.status]?.(this.lastRun, outcome);
    }
  }

  /**
   * Starts a run. `prepare` may load an engine first (status LOADING) and returns the
   * runtime's stream; it receives the run's AbortSignal.
   */
  async start(
    prepare: (signal: AbortSignal, ticket: RunTicket) => Promise<GenerationRun> | GenerationRun,
    onSettled?: (outcome: GenerationOutcome, timing: GenerationTiming) => void,
  ): Promise<GenerationOutcome | undefined> {
    const ticket = this.begin();
    const { timing } = ticket;
    this.timing = timing;
    this.text = '';
    this.outcome = undefined;
    this.setStatus(GenerationStatus.LOADING);
    let outcome: GenerationOutcome;
    try {
      const run = await prepare(ticket.signal, ticket);
      if (!ticket.current()) return undefined;
      for await (const delta of run.textStream) {
        if (!ticket.current()) break;
        if (timing.firstTokenAt === undefined) {
          timing.firstTokenAt = this.now();
          this.setStatus(GenerationStatus.STREAMING);
        }
        this.text += delta;
        this.options.onDelta?.(delta);
        this.scheduleUpdate();
      }
      outcome = await run.outcome;
    } catch (error) {
      // `prepare` failed before any stream existed (e.g. a model failed to load).
      outcome = ticket.signal.aborted
        ? { status: 'aborted', text: this.text }
        : { status: 'error', text: this.text, error: AiError.from(error).toJSON() };
    }
    if (!ticket.current()) return undefined;
    this.outcome = outcome;
    this.text = outcome.text;
    this.settle(ticket, outcome.status);
    onSettled?.(outcome, timing);
    this.options.onFinish?.(outcome, timing);
    return outcome;
  }

  /** Forgets the last run (back to IDLE). */
  reset(): void {
    this.supersede();
    this.text = '';
    this.outcome = undefined;
    this.timing = undefined;
    this.lastRun = undefined;
    this.setStatus(GenerationStatus.IDLE);
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
