import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Loading progress as engines report it (structural: the runtime's LoadProgress fits). */
export interface RunLoadProgress {
  fraction: number;
  text: string;
}

/** What a run needs of an engine (structural: the runtime's TextEngine and ImageEngine fit). */
export interface RunEngine {
  readonly engineId: string;
  readonly modelId: string;
  load?(options: { abortSignal?: AbortSignal; onProgress?: (progress: RunLoadProgress) => void }): Promise<void>;
}

export interface GenerationTiming {
  startedAt: number;
  firstTokenAt?: number;
  finishedAt?: number;
}

/** The states every run goes through; `working` names the one between loading and the end. */
export type RunStatus<W extends string> = 'idle' | 'loading' | W | 'complete' | 'aborted' | 'error';

/** One run in progress: its signal and timing, and whether a newer run has replaced it. */
export interface RunTicket {
  readonly signal: AbortSignal;
  readonly timing: GenerationTiming;
  /** False once another run started or the controller was reset. */
  current(): boolean;
}

/**
 * What text runs and image runs share (GenerationController, ImageRunController): one
 * AbortController per run, a new run aborts and supersedes the old one, disconnecting the
 * element aborts, an engine loads with progress (status `loading`), and an outcome's status
 * becomes the controller's. Subclasses add what their run produces.
 */
export abstract class RunLifecycle<W extends string> implements ReactiveController {
  status: RunStatus<W> = 'idle';
  /** The engine's loading progress while loading (a download, a compile). */
  loadProgress: RunLoadProgress | undefined;
  private abortController: AbortController | undefined;
  private runId = 0;

  protected constructor(
    protected readonly host: ReactiveControllerHost,
    /** The status between loading and the end (streaming, running). */
    private readonly working: W,
    protected readonly now: () => number = () => performance.now(),
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** True while a run is loading or working. */
  get busy(): boolean {
    return this.status === 'loading' || this.status === this.working;
  }

  /** Stops the current run (its outcome is `aborted`; what it produced so far is kept). */
  stop(): void {
    this.abortController?.abort();
  }

  /** Starts a run: the previous one is aborted and superseded. */
  protected begin(): RunTicket {
    this.abortController?.abort();
    const abortController = new AbortController();
    this.abortController = abortController;
    const runId = ++this.runId;
    this.loadProgress = undefined;
    return {
      signal: abortController.signal,
      timing: { startedAt: this.now() },
      current: () => runId === this.runId,
    };
  }

  /** Loads `engine` when it loads (status `loading`, progress in `loadProgress`), then calls `onLoaded`. */
  protected async load(engine: RunEngine, ticket: RunTicket, onLoaded?: () => void): Promise<void> {
    if (!engine.load) return;
    this.setStatus('loading');
    await engine.load({
      abortSignal: ticket.signal,
      onProgress: (progress) => {
        if (!ticket.current()) return;
        this.loadProgress = progress;
        this.host.requestUpdate();
      },
    });
    if (ticket.current()) onLoaded?.();
  }

  /** Ends the current run with an outcome's status (the finished states are named as outcomes are). */
  protected settle(ticket: RunTicket, status: 'complete' | 'aborted' | 'error'): void {
    ticket.timing.finishedAt = this.now();
    this.abortController = undefined;
    this.loadProgress = undefined;
    this.setStatus(status);
  }

  /** Forgets the current run (its results are ignored from now on). */
  protected supersede(): void {
    this.stop();
    this.runId += 1;
    this.loadProgress = undefined;
  }

  protected setStatus(status: RunStatus<W>): void {
    this.status = status;
    this.host.requestUpdate();
  }
}
