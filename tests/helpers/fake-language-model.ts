// A scripted stand-in for the browser's built-in AI, written from the Prompt API's Web IDL
// (WPT interfaces/prompt-api.idl) and the Writing Assistance APIs (Summarizer, Writer, Rewriter):
// the same statics, options, events and DOMException names, so the engine meets what Chrome does
// without Chrome's model. Install it on `globalThis` before the blocks load; `restore()` undoes it.

type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string | { type: string; value: unknown }[];
  prefix?: boolean;
}

type Prompt = string | Message[];

interface PromptOptions {
  responseConstraint?: object;
  omitResponseConstraintInput?: boolean;
  signal?: AbortSignal;
}

interface CreateOptions {
  expectedInputs?: { type: string; languages?: string[] }[];
  expectedOutputs?: { type: string; languages?: string[] }[];
  initialPrompts?: Message[];
  signal?: AbortSignal;
  monitor?: (monitor: EventTarget) => void;
  [option: string]: unknown;
}

export interface FakeBuiltInAiOptions {
  /** What `availability()` answers until a `create()` has downloaded the model. */
  availability?: Availability;
  /** The model's answer to every prompt (default 'Hello from the built-in model.'). */
  reply?: string | ((input: Prompt, options: PromptOptions) => string);
  /** Milliseconds between streamed chunks (one chunk a word). */
  chunkDelayMs?: number;
  /** The context window in tokens (a token is 4 characters here). */
  contextWindow?: number;
  /** The names before the TAG review (inputQuota, inputUsage, measureInputUsage) instead of the new ones. */
  legacyNames?: boolean;
  /** `downloadprogress` values Chrome reports while downloading (0 and 1 always fire). */
  downloadSteps?: number[];
  /** Milliseconds between download progress events. */
  downloadStepMs?: number;
  /** Offer Summarizer/Rewriter/Writer too, answering with these replies (`undefined`: not defined). */
  summarizerReply?: string;
  rewriterReply?: string | ((input: string, options: Record<string, unknown>) => string);
  writerReply?: string;
}

/** What the page asked the fake, for assertions. */
export interface FakeBuiltInAiCalls {
  availability: unknown[];
  create: CreateOptions[];
  /** `create()` calls made while the page had user activation. */
  createWithActivation: boolean[];
  prompts: { input: Prompt; options: PromptOptions }[];
  destroyed: number;
  writing: { api: string; create: Record<string, unknown>; input: string; options: unknown }[];
}

export interface FakeBuiltInAi {
  calls: FakeBuiltInAiCalls;
  /** The reply the next prompts stream. */
  setReply(reply: NonNullable<FakeBuiltInAiOptions['reply']>): void;
  restore(): void;
}

const CONSTRUCT = Symbol('construct');

const tokens = (text: string): number => Math.ceil(text.length / 4);

function textOf(input: Prompt): string {
  if (typeof input === 'string') return input;
  return input
    .map((message) =>
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (typeof part.value === 'string' ? part.value : '')).join(''),
    )
    .join('\n');
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** A ReadableStream of string chunks (deltas, as Chrome streams them), stopped by `signal`. */
function chunkStream(text: string, delayMs: number, signal: AbortSignal | undefined, done: () => void) {
  const chunks = text.match(/\S+\s*|\s+/g) ?? [];
  let index = 0;
  return new ReadableStream<string>({
    async pull(controller) {
      if (index > 0 && delayMs > 0) await delay(delayMs);
      if (signal?.aborted) {
        controller.error(abortReason(signal));
        return;
      }
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) {
        done();
        controller.close();
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

function quotaExceeded(requested: number, quota: number): DOMException {
  const error = new DOMException(
    `The input is too large: ${String(requested)} tokens, the quota is ${String(quota)}.`,
    'QuotaExceededError',
  );
  Object.assign(error, { requested, quota });
  return error;
}

function activeUserActivation(): boolean {
  const nav = (globalThis as { navigator?: { userActivation?: { isActive: boolean } } }).navigator;
  return nav?.userActivation?.isActive ?? false;
}

/** Replaces `LanguageModel` (and, when asked, Summarizer/Rewriter/Writer) on `target`. */
export function installFakeBuiltInAi(options: FakeBuiltInAiOptions = {}, target: object = globalThis): FakeBuiltInAi {
  const calls: FakeBuiltInAiCalls = {
    availability: [],
    create: [],
    createWithActivation: [],
    prompts: [],
    destroyed: 0,
    writing: [],
  };
  let availability: Availability = options.availability ?? 'available';
  let reply = options.reply ?? 'Hello from the built-in model.';
  const window = options.contextWindow ?? 4096;
  const chunkDelayMs = options.chunkDelayMs ?? 10;

  /** The download Chrome runs in `create()` when the model is not on the device yet. */
  async function download(monitor: EventTarget | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (availability === 'available') {
      // Chrome fires 0 and 1 even when nothing needs downloading.
      monitor?.dispatchEvent(new ProgressEvent('downloadprogress', { loaded: 0, total: 1 }));
      monitor?.dispatchEvent(new ProgressEvent('downloadprogress', { loaded: 1, total: 1 }));
      return;
    }
    availability = 'downloading';
    const steps = [0, ...(options.downloadSteps ?? [0.25, 0.5, 0.75]), 1];
    for (const loaded of steps) {
      signal?.throwIfAborted();
      monitor?.dispatchEvent(new ProgressEvent('downloadprogress', { loaded, total: 1 }));
      await delay(options.downloadStepMs ?? 30);
    }
    availability = 'available';
  }

  function checkCreate(createOptions: { signal?: AbortSignal }): void {
    if (availability === 'unavailable') throw new DOMException('The model is not available.', 'NotSupportedError');
    createOptions.signal?.throwIfAborted();
    // The user-gesture rule: a download starts only with user activation.
    if (availability !== 'available' && !activeUserActivation())
      throw new DOMException('Requires a user gesture when availability is "downloadable".', 'NotAllowedError');
  }

  class FakeLanguageModel extends EventTarget {
    #usage: number;
    #destroyed = false;
    #history: Message[];
    oncontextoverflow: ((event: Event) => void) | null = null;

    // The IDL has no constructor: only create() and clone() make sessions.
    constructor(token: symbol, initialPrompts: Message[]) {
      if (token !== CONSTRUCT) throw new TypeError('Illegal constructor');
      super();
      this.#history = [...initialPrompts];
      this.#usage = tokens(textOf(initialPrompts));
      if (this.#usage > window) throw quotaExceeded(this.#usage, window);
    }

    static availability(coreOptions: Record<string, unknown> = {}): Promise<Availability> {
      calls.availability.push(coreOptions);
      return Promise.resolve(availability);
    }

    static async create(createOptions: CreateOptions = {}): Promise<FakeLanguageModel> {
      calls.create.push(createOptions);
      calls.createWithActivation.push(activeUserActivation());
      checkCreate(createOptions);
      const initialPrompts = createOptions.initialPrompts ?? [];
      // IDL: "system" only as the first initial prompt.
      if (initialPrompts.some((message, index) => message.role === 'system' && index > 0))
        throw new TypeError('A system prompt must come first.');
      let monitor: EventTarget | undefined;
      if (createOptions.monitor) {
        monitor = new EventTarget();
        createOptions.monitor(monitor);
      }
      await download(monitor, createOptions.signal);
      return new FakeLanguageModel(CONSTRUCT, initialPrompts);
    }

    #check(input: Prompt, promptOptions: PromptOptions): void {
      if (this.#destroyed) throw new DOMException('The session was destroyed.', 'InvalidStateError');
      promptOptions.signal?.throwIfAborted();
      if (typeof input !== 'string' && input.some((message) => message.role === 'system'))
        throw new TypeError('A prompt cannot have a system message.');
      const constraint = promptOptions.responseConstraint;
      // Pages may pass anything; the IDL says object.
      if (constraint !== undefined && typeof (constraint as unknown) !== 'object')
        throw new TypeError('responseConstraint must be a JSON Schema object or a RegExp.');
      const needed = this.#usage + tokens(textOf(input));
      if (needed > window) throw quotaExceeded(needed, window);
    }

    async prompt(input: Prompt, promptOptions: PromptOptions = {}): Promise<string> {
      const stream = this.promptStreaming(input, promptOptions);
      let text = '';
      for await (const chunk of stream as unknown as AsyncIterable<string>) text += chunk;
      return text;
    }

    promptStreaming(input: Prompt, promptOptions: PromptOptions = {}): ReadableStream<string> {
      this.#check(input, promptOptions);
      calls.prompts.push({ input, options: promptOptions });
      const answer = typeof reply === 'function' ? reply(input, promptOptions) : reply;
      this.#usage += tokens(textOf(input));
      return chunkStream(answer, chunkDelayMs, promptOptions.signal, () => {
        this.#usage += tokens(answer);
        this.#history.push({ role: 'user', content: textOf(input) }, { role: 'assistant', content: answer });
      });
    }

    async append(input: Prompt, appendOptions: { signal?: AbortSignal } = {}): Promise<void> {
      this.#check(input, appendOptions);
      this.#usage += tokens(textOf(input));
      await Promise.resolve();
    }

    measureContextUsage(input: Prompt, promptOptions: PromptOptions = {}): Promise<number> {
      if (this.#destroyed) return Promise.reject(new DOMException('destroyed', 'InvalidStateError'));
      promptOptions.signal?.throwIfAborted();
      return Promise.resolve(tokens(textOf(input)));
    }

    get contextUsage(): number {
      return this.#usage;
    }

    get contextWindow(): number {
      return window;
    }

    async clone(cloneOptions: { signal?: AbortSignal } = {}): Promise<FakeLanguageModel> {
      if (this.#destroyed) throw new DOMException('The session was destroyed.', 'InvalidStateError');
      cloneOptions.signal?.throwIfAborted();
      await Promise.resolve();
      const copy = new FakeLanguageModel(CONSTRUCT, this.#history);
      return copy;
    }

    destroy(): void {
      if (!this.#destroyed) calls.destroyed += 1;
      this.#destroyed = true;
    }
  }

  // The names before the TAG review (prompt-api#177), which extension contexts still have.
  if (options.legacyNames) {
    const proto = FakeLanguageModel.prototype as unknown as Record<string, unknown>;
    const renames = [
      ['contextWindow', 'inputQuota'],
      ['contextUsage', 'inputUsage'],
      ['measureContextUsage', 'measureInputUsage'],
    ] as const;
    for (const [now, before] of renames) {
      Object.defineProperty(proto, before, Object.getOwnPropertyDescriptor(proto, now) ?? {});
      Reflect.deleteProperty(proto, now);
    }
  }

  /** One of Summarizer, Rewriter, Writer: `availability`, `create`, and `<verb>`/`<verb>Streaming`. */
  function writingApi(
    api: string,
    verb: string,
    answer: string | ((input: string, o: Record<string, unknown>) => string),
  ) {
    return {
      availability: (coreOptions: Record<string, unknown> = {}) => {
        calls.availability.push({ api, ...coreOptions });
        return Promise.resolve(availability === 'unavailable' ? 'unavailable' : 'available');
      },
      create: async (
        createOptions: Record<string, unknown> & { signal?: AbortSignal; monitor?: CreateOptions['monitor'] } = {},
      ) => {
        checkCreate(createOptions);
        if (createOptions.monitor) {
          const monitor = new EventTarget();
          createOptions.monitor(monitor);
          monitor.dispatchEvent(new ProgressEvent('downloadprogress', { loaded: 0, total: 1 }));
          monitor.dispatchEvent(new ProgressEvent('downloadprogress', { loaded: 1, total: 1 }));
        }
        await Promise.resolve();
        let destroyed = false;
        const streaming = (input: string, callOptions: { context?: string; signal?: AbortSignal } = {}) => {
          if (destroyed) throw new DOMException('destroyed', 'InvalidStateError');
          calls.writing.push({ api, create: createOptions, input, options: callOptions });
          const text = typeof answer === 'function' ? answer(input, createOptions) : answer;
          return chunkStream(text, chunkDelayMs, callOptions.signal, () => undefined);
        };
        return {
          [verb]: async (input: string, callOptions?: { context?: string; signal?: AbortSignal }) => {
            let text = '';
            for await (const chunk of streaming(input, callOptions) as unknown as AsyncIterable<string>) text += chunk;
            return text;
          },
          [`${verb}Streaming`]: streaming,
          measureInputUsage: (input: string) => Promise.resolve(tokens(input)),
          inputQuota: window,
          destroy: () => {
            destroyed = true;
          },
        };
      },
    };
  }

  const replaced = ['LanguageModel', 'Summarizer', 'Rewriter', 'Writer'].map(
    (name) => [name, Object.getOwnPropertyDescriptor(target, name)] as const,
  );
  const define = (name: string, value: unknown) => {
    Object.defineProperty(target, name, { value, configurable: true, writable: true });
  };
  define('LanguageModel', FakeLanguageModel);
  define(
    'Summarizer',
    options.summarizerReply !== undefined ? writingApi('Summarizer', 'summarize', options.summarizerReply) : undefined,
  );
  define(
    'Rewriter',
    options.rewriterReply !== undefined ? writingApi('Rewriter', 'rewrite', options.rewriterReply) : undefined,
  );
  define('Writer', options.writerReply !== undefined ? writingApi('Writer', 'write', options.writerReply) : undefined);

  return {
    calls,
    setReply(next) {
      reply = next;
    },
    restore() {
      for (const [name, descriptor] of replaced) {
        if (descriptor) Object.defineProperty(target, name, descriptor);
        else Reflect.deleteProperty(target, name);
      }
    },
  };
}
