import type { ReactiveController, ReactiveControllerHost } from 'lit';

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

/** The outcome shape of the runtime's `streamText` (structural, so this package stays engine-free). */
export interface GenerationOutcome {
  status: 'complete' | 'aborted' | 'error';
  text: string;
  finishReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
  error?: { code: string; message: string; retryable: boolean };
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
export class GenerationController implements ReactiveController {
  status: GenerationStatus = GenerationStatus.IDLE;
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
   * Starts a run. `prepare` may load an engine first (status LOADING) and returns the
   * runtime's stream; it receives the run's AbortSignal.
   */
  async start(prepare: (signal: AbortSignal) => Promise<GenerationRun> | GenerationRun): Promise<GenerationOutcome | undefined> {
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
        : { status: 'error', text: this.text, error: toOutcomeError(error) };
    }
    if (runId !== this.runId) return undefined;
    timing.finishedAt = now();
    this.outcome = outcome;
    this.text = outcome.text;
    this.abortController = undefined;
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

function toOutcomeError(error: unknown): NonNullable<GenerationOutcome['error']> {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : error.code;
    const retryable = 'retryable' in error && error.retryable === true;
    return { code: error.code, message, retryable };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), retryable: false };
}
