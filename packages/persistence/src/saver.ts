import { GraphError, isGraphError } from './graph-error.js';
import { retryDelay, type RetrySchedule } from './retry-schedule.js';

/** Where the latest output stands. */
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'unsaved' | 'readonly' | 'offline';

export interface SaveState {
  status: SaveStatus;
  /** Failed attempts since the last success. */
  failures: number;
  lastError?: GraphError;
  /** When the next automatic retry happens (epoch ms), if one is scheduled. */
  nextRetryAt?: number;
}

export interface SaverOptions<T> extends RetrySchedule {
  /** Writes one value. Must be idempotent: a retry may follow a write that did land. */
  write: (value: T) => Promise<void>;
  onChange?: (state: SaveState) => void;
  timers?: {
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
    now: () => number;
  };
}

/**
 * A save path that never loses the latest output: only the newest value is written (older
 * unsaved ones are superseded), a failed or timed-out write keeps the value and retries with
 * exponential backoff, and the state says "unsaved" until a write lands.
 */
export class Saver<T> {
  private pending: { value: T } | undefined;
  private inFlight = false;
  private retryHandle: unknown;
  private waiters: ((state: SaveState) => void)[] = [];
  private current: SaveState = { status: 'idle', failures: 0 };
  private readonly timers: NonNullable<SaverOptions<T>['timers']>;

  constructor(private readonly options: SaverOptions<T>) {
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => {
        clearTimeout(handle as ReturnType<typeof setTimeout>);
      },
      now: () => Date.now(),
    };
  }

  get state(): SaveState {
    return this.current;
  }

  /** True while a value has not reached the graph. */
  get hasUnsaved(): boolean {
    return this.pending !== undefined || this.inFlight;
  }

  /** Saves `value` (superseding any older unsaved value); resolves with the state once this value is settled. */
  save(value: T): Promise<SaveState> {
    this.pending = { value };
    this.cancelRetry();
    this.current = { ...this.current, failures: 0 };
    const settled = new Promise<SaveState>((resolve) => this.waiters.push(resolve));
    void this.pump();
    return settled;
  }

  /** Retries the unsaved value now instead of waiting for the backoff. */
  retryNow(): void {
    if (!this.pending || this.inFlight) return;
    this.cancelRetry();
    void this.pump();
  }

  /** Stops retrying (the element went away); the value stays unsaved and no retry is announced. */
  dispose(): void {
    this.cancelRetry();
    if (this.current.nextRetryAt !== undefined) {
      const state = { ...this.current };
      delete state.nextRetryAt;
      this.setState(state);
    }
  }

  /** Writes an unsaved value again (the element came back); nothing happens when all is saved. */
  resume(): void {
    if (this.retryHandle === undefined) void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.inFlight || !this.pending) return;
    const { value } = this.pending;
    this.pending = undefined;
    this.inFlight = true;
    this.setState({ status: 'saving', failures: this.current.failures });
    try {
      await this.options.write(value);
      this.inFlight = false;
      if (this.hasNewerValue()) {
        // A newer value arrived while writing: write it next.
        void this.pump();
        return;
      }
      this.settle({ status: 'saved', failures: 0 });
    } catch (error) {
      this.inFlight = false;
      // Keep the failed value unless a newer one superseded it.
      this.pending ??= { value };
      const graphError = isGraphError(error)
        ? error
        : new GraphError('INTERNAL_ERROR', String(error), { cause: error });
      if (graphError.code === 'READONLY' || graphError.code === 'NO_EMBEDDER') {
        this.settle({
          status: graphError.code === 'READONLY' ? 'readonly' : 'offline',
          failures: 0,
          lastError: graphError,
        });
        return;
      }
      const failures = this.current.failures + 1;
      const delay = retryDelay(this.options, failures, graphError.code);
      if (delay === undefined) {
        this.settle({ status: 'unsaved', failures, lastError: graphError });
        return;
      }
      const nextRetryAt = this.timers.now() + delay;
      this.setState({ status: 'unsaved', failures, lastError: graphError, nextRetryAt });
      this.retryHandle = this.timers.setTimeout(() => {
        this.retryHandle = undefined;
        void this.pump();
      }, delay);
    }
  }

  /** A value saved while the write was in flight (a method, so narrowing cannot hide it). */
  private hasNewerValue(): boolean {
    return this.pending !== undefined;
  }

  private settle(state: SaveState): void {
    this.setState(state);
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(state);
  }

  private setState(state: SaveState): void {
    this.current = state;
    this.options.onChange?.(state);
  }

  private cancelRetry(): void {
    if (this.retryHandle !== undefined) this.timers.clearTimeout(this.retryHandle);
    this.retryHandle = undefined;
  }
}
