// The part of the browser's built-in AI that the runtime uses, typed from the Prompt API's
// Web IDL (webmachinelearning/prompt-api, WPT interfaces/prompt-api.idl) and the Writing
// Assistance APIs (Summarizer, Writer, Rewriter). Structural, so tests can pass a fake.

/** `Availability` of the IDL: what `availability()` answers. */
export type BuiltInAvailability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

/** The `CreateMonitor` handed to `monitor`: `downloadprogress` events carry `loaded` in [0, 1]. */
export interface CreateMonitorLike {
  addEventListener(type: 'downloadprogress', listener: (event: { loaded: number; total?: number }) => void): void;
}

export interface LanguageModelExpected {
  type: 'text' | 'image' | 'audio';
  languages?: string[];
}

export interface LanguageModelMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  prefix?: boolean;
}

export interface LanguageModelCoreOptions {
  expectedInputs?: LanguageModelExpected[];
  expectedOutputs?: LanguageModelExpected[];
}

export interface LanguageModelCreateOptions extends LanguageModelCoreOptions {
  signal?: AbortSignal;
  monitor?: (monitor: CreateMonitorLike) => void;
  initialPrompts?: LanguageModelMessage[];
}

export interface LanguageModelPromptOptions {
  /** A JSON Schema object or a RegExp the answer must match. */
  responseConstraint?: object;
  omitResponseConstraintInput?: boolean;
  signal?: AbortSignal;
}

/** A session (`LanguageModel` instance). The context accounting was renamed; both names are optional. */
export interface LanguageModelSession {
  prompt(input: string | LanguageModelMessage[], options?: LanguageModelPromptOptions): Promise<string>;
  promptStreaming(input: string | LanguageModelMessage[], options?: LanguageModelPromptOptions): ReadableStream<string>;
  measureContextUsage?(input: string | LanguageModelMessage[], options?: LanguageModelPromptOptions): Promise<number>;
  readonly contextUsage?: number;
  readonly contextWindow?: number;
  /** Older name of `measureContextUsage` (extension contexts only since the rename). */
  measureInputUsage?(input: string | LanguageModelMessage[], options?: LanguageModelPromptOptions): Promise<number>;
  readonly inputUsage?: number;
  readonly inputQuota?: number;
  clone(options?: { signal?: AbortSignal }): Promise<LanguageModelSession>;
  destroy(): void;
}

/** The `LanguageModel` interface object (its statics). */
export interface LanguageModelStatic {
  availability(options?: LanguageModelCoreOptions): Promise<BuiltInAvailability>;
  create(options?: LanguageModelCreateOptions): Promise<LanguageModelSession>;
}

/** Options every writing-assistance `create()` takes. */
export interface WritingCreateOptions {
  signal?: AbortSignal;
  monitor?: (monitor: CreateMonitorLike) => void;
  sharedContext?: string;
  expectedInputLanguages?: string[];
  outputLanguage?: string;
}

export interface SummarizerOptions extends WritingCreateOptions {
  type?: 'tldr' | 'teaser' | 'key-points' | 'headline';
  format?: 'plain-text' | 'markdown';
  length?: 'short' | 'medium' | 'long';
}

export interface RewriterOptions extends WritingCreateOptions {
  tone?: 'as-is' | 'more-formal' | 'more-casual';
  format?: 'as-is' | 'plain-text' | 'markdown';
  length?: 'as-is' | 'shorter' | 'longer';
}

export interface WriterOptions extends WritingCreateOptions {
  tone?: 'formal' | 'neutral' | 'casual';
  format?: 'plain-text' | 'markdown';
  length?: 'short' | 'medium' | 'long';
}

/** What a writing-assistance call takes besides its input. */
export interface WritingCallOptions {
  context?: string;
  signal?: AbortSignal;
}

/** A Summarizer, Rewriter or Writer instance: each has its own pair of methods, and these in common. */
export interface WritingTask {
  summarizeStreaming?(input: string, options?: WritingCallOptions): ReadableStream<string>;
  rewriteStreaming?(input: string, options?: WritingCallOptions): ReadableStream<string>;
  writeStreaming?(input: string, options?: WritingCallOptions): ReadableStream<string>;
  measureInputUsage?(input: string, options?: WritingCallOptions): Promise<number>;
  readonly inputQuota?: number;
  destroy(): void;
}

export interface WritingStatic<Options> {
  availability(options?: Options): Promise<BuiltInAvailability>;
  create(options?: Options): Promise<WritingTask>;
}

/** The globals the runtime reads: `globalThis` in a page, a fake in tests. */
export interface BuiltInAiGlobal {
  LanguageModel?: LanguageModelStatic;
  Summarizer?: WritingStatic<SummarizerOptions>;
  Rewriter?: WritingStatic<RewriterOptions>;
  Writer?: WritingStatic<WriterOptions>;
  document?: { featurePolicy?: { allowsFeature(feature: string): boolean } };
}
