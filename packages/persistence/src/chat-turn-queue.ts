import type { Provenance } from './provenance.js';
import type { NewMessage, WrittenTurn } from './chat.js';
import { GraphError, isGraphError } from './graph-error.js';
import type { SaveState } from './saver.js';
import { retryDelay, type RetrySchedule } from './retry-schedule.js';
import { WriteLedger } from './write-ledger.js';

/**
 * A turn as the block knows it: messages by key (their client id, or the entity id of a
 * message read from the graph), so a turn can be queued before the turn it follows is written.
 */
export interface QueuedTurn {
  request: (NewMessage & { afterResponseKey: string | undefined }) | { existingRequestKey: string };
  response: NewMessage & { provenance: Provenance };
}

/** A queued turn with its keys resolved to entity ids, ready for `appendChatTurn`. */
export interface ResolvedTurn {
  after: { kind: 'root' } | { kind: 'response'; responseId: string };
  request: NewMessage | { existingRequestId: string };
  response: NewMessage & { provenance: Provenance };
  /** What this queue's earlier attempts created: pass it on to `appendChatTurn`. */
  ledger: WriteLedger;
}

export interface ChatSaveState extends SaveState {
  /** Turns not yet written. */
  pending: number;
}

export interface ChatTurnQueueOptions extends RetrySchedule {
  /** Writes one resolved turn (idempotent: `appendChatTurn`). */
  write: (turn: ResolvedTurn) => Promise<WrittenTurn>;
  /** Entity id of a message already in the graph, by key. */
  resolveKey: (key: string) => string | undefined;
  onChange?: (state: ChatSaveState) => void;
  timers?: {
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
    now: () => number;
  };
}

/**
 * Writes completed chat turns in order, each once. A failed write keeps the turn (and every
 * later one) queued and retries with exponential backoff (only errors that may pass: a refusal
 * stops at once and waits for `retryNow`); because each write is idempotent, a retry after a
 * write that did land creates no duplicate. Later turns wait for earlier ones, since a turn
 * links to the response before it. `dispose` pauses (the element was detached) and `resume`
 * carries on (it was attached again); the state is never "saved" while a turn is queued.
 */
export class ChatTurnQueue {
  private readonly queue: QueuedTurn[] = [];
  private readonly written = new Map<string, string>();
  private running = false;
  private retryHandle: unknown;
  private paused = false;
  private readonly ledger = new WriteLedger();
  private current: ChatSaveState = { status: 'idle', failures: 0, pending: 0 };
  private readonly timers: NonNullable<ChatTurnQueueOptions['timers']>;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ChatTurnQueueOptions) {
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => {
        clearTimeout(handle as ReturnType<typeof setTimeout>);
      },
      now: () => Date.now(),
    };
  }

  get state(): ChatSaveState {
    return this.current;
  }

  /** Whether a message key was written by this queue or is queued to be. */
  knows(key: string): boolean {
    return (
      this.written.has(key) ||
      this.queue.some(
        (turn) => turn.response.clientId === key || ('clientId' in turn.request && turn.request.clientId === key),
      )
    );
  }

  /** Entity id of a message this queue wrote. */
  entityIdOf(key: string): string | undefined {
    return this.written.get(key);
  }

  /** True while a turn is queued or being written (e.g. for an unload warning). */
  get hasUnsaved(): boolean {
    return this.queue.length > 0;
  }

  enqueue(turn: QueuedTurn): void {
    this.queue.push(turn);
    // Never "saved" with a turn waiting: saving now, or still unsaved until a retry or resume.
    const status = !this.running && (this.paused || this.retryHandle !== undefined) ? 'unsaved' : 'saving';
    this.setState({ ...this.current, status, pending: this.queue.length });
    if (!this.retryHandle) void this.run();
  }

  /** Retries now instead of waiting for the next automatic retry. */
  retryNow(): void {
    this.cancelRetry();
    void this.run();
  }

  /** Resolves when nothing is queued or the queue is waiting for a retry. */
  settled(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Pauses writing (the element was detached): no retries run; queued turns are kept. */
  dispose(): void {
    this.paused = true;
    this.cancelRetry();
    if (this.current.nextRetryAt !== undefined) {
      const state = { ...this.current };
      delete state.nextRetryAt;
      this.setState(state);
    }
  }

  /** Carries on after `dispose` (the element was attached again): writes what is queued. */
  resume(): void {
    this.paused = false;
    if (this.queue.length > 0) this.retryNow();
  }

  private async run(): Promise<void> {
    if (this.running || this.paused) return;
    this.running = true;
    try {
      // `paused` may change while a write is awaited.
      while (this.queue.length > 0 && !this.isPaused()) {
        const turn = this.queue[0] as QueuedTurn;
        this.setState({ ...this.current, status: 'saving' });
        try {
          const written = await this.options.write({ ...this.resolve(turn), ledger: this.ledger });
          if ('clientId' in turn.request) this.written.set(turn.request.clientId, written.requestId);
          this.written.set(turn.response.clientId, written.responseId);
          this.queue.shift();
          this.current = { status: this.queue.length ? 'saving' : 'saved', failures: 0, pending: this.queue.length };
          this.setState(this.current);
        } catch (error) {
          this.fail(error);
          return;
        }
      }
      // Paused between two turns: what is left waits for resume().
      if (this.queue.length > 0 && this.current.status === 'saving')
        this.setState({ ...this.current, status: 'unsaved', pending: this.queue.length });
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private isPaused(): boolean {
    return this.paused;
  }

  private resolve(turn: QueuedTurn): Omit<ResolvedTurn, 'ledger'> {
    const id = (key: string): string => {
      const entityId = this.written.get(key) ?? this.options.resolveKey(key);
      if (!entityId)
        throw new GraphError('INTERNAL_ERROR', `The message this turn follows (${key}) is not in the graph yet.`);
      return entityId;
    };
    if ('existingRequestKey' in turn.request) {
      return {
        after: { kind: 'root' },
        request: { existingRequestId: id(turn.request.existingRequestKey) },
        response: turn.response,
      };
    }
    const { afterResponseKey, clientId, text } = turn.request;
    return {
      after: afterResponseKey === undefined ? { kind: 'root' } : { kind: 'response', responseId: id(afterResponseKey) },
      request: { clientId, text },
      response: turn.response,
    };
  }

  private fail(error: unknown): void {
    const graphError = isGraphError(error)
      ? error
      : new GraphError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error), { cause: error });
    if (graphError.code === 'READONLY' || graphError.code === 'NO_EMBEDDER') {
      this.setState({
        status: graphError.code === 'READONLY' ? 'readonly' : 'offline',
        failures: this.current.failures + 1,
        lastError: graphError,
        pending: this.queue.length,
      });
      return;
    }
    const failures = this.current.failures + 1;
    const state: ChatSaveState = { status: 'unsaved', failures, lastError: graphError, pending: this.queue.length };
    // A refusal answers the same way again: say so at once and wait for retryNow (or resume).
    const delay = this.paused ? undefined : retryDelay(this.options, failures, graphError.code);
    if (delay !== undefined) {
      state.nextRetryAt = this.timers.now() + delay;
      this.retryHandle = this.timers.setTimeout(() => {
        this.retryHandle = undefined;
        void this.run();
      }, delay);
    }
    this.setState(state);
  }

  private cancelRetry(): void {
    if (this.retryHandle !== undefined) this.timers.clearTimeout(this.retryHandle);
    this.retryHandle = undefined;
  }

  private setState(state: ChatSaveState): void {
    this.current = state;
    this.options.onChange?.(state);
  }
}
