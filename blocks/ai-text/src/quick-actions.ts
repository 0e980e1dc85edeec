import {
  AiError,
  streamText,
  type BuiltInAiGlobal,
  type EngineId,
  type RewriterOptions,
  type SerializedAiError,
  type SummarizerOptions,
  type TextEngine,
  type WriterOptions,
  type WritingTask,
} from '@ai-blocks/runtime';
import type { Provenance } from '@ai-blocks/persistence';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a person can do with the kept text in one click. */
export type QuickAction = 'summarise' | 'shorter' | 'longer' | 'formal' | 'casual';

/** The actions in the order the block shows them, with their button labels. */
export const QUICK_ACTIONS: readonly { id: QuickAction; label: string }[] = [
  { id: 'summarise', label: 'Summarise' },
  { id: 'shorter', label: 'Shorter' },
  { id: 'longer', label: 'Longer' },
  { id: 'formal', label: 'More formal' },
  { id: 'casual', label: 'More casual' },
];

/** Which of the browser's writing APIs ran an action ('engine': a prompt to the chosen engine). */
export type QuickActionSource = 'Summarizer' | 'Rewriter' | 'Writer' | 'engine';

/** A browser API call for an action: which API, its create options, and the method that streams. */
export interface WritingPlan {
  api: 'Summarizer' | 'Rewriter' | 'Writer';
  /** SummarizerOptions, RewriterOptions or WriterOptions, as `api` takes them. */
  options: SummarizerOptions | RewriterOptions | WriterOptions;
  method: 'summarizeStreaming' | 'rewriteStreaming' | 'writeStreaming';
  /** The input: the text itself, or (Writer) an instruction around it. */
  input: string;
}

const INSTRUCTIONS: Record<QuickAction, string> = {
  summarise: 'Summarise the following text in a few sentences.',
  shorter: 'Rewrite the following text to be noticeably shorter, keeping its meaning.',
  longer: 'Rewrite the following text to be longer and more detailed, keeping its meaning.',
  formal: 'Rewrite the following text in a more formal tone.',
  casual: 'Rewrite the following text in a more casual tone.',
};

// Chrome asks pages to say which languages they write in.
const languages = (): { expectedInputLanguages: string[]; outputLanguage: string } => ({
  expectedInputLanguages: ['en'],
  outputLanguage: 'en',
});

/** The browser APIs that could run an action, best first (each is used only where `available`). */
export function writingPlans(action: QuickAction, text: string): WritingPlan[] {
  if (action === 'summarise') {
    const options: SummarizerOptions = { type: 'tldr', format: 'markdown', length: 'medium', ...languages() };
    return [{ api: 'Summarizer', options, method: 'summarizeStreaming', input: text }];
  }
  const rewriter: RewriterOptions = { format: 'as-is', ...languages() };
  const writer: WriterOptions = { format: 'markdown', ...languages() };
  if (action === 'shorter' || action === 'longer') rewriter.length = action;
  else {
    rewriter.tone = action === 'formal' ? 'more-formal' : 'more-casual';
    writer.tone = action;
  }
  return [
    { api: 'Rewriter', options: rewriter, method: 'rewriteStreaming', input: text },
    { api: 'Writer', options: writer, method: 'writeStreaming', input: `${INSTRUCTIONS[action]}\n\n${text}` },
  ];
}

/** The prompt for the chosen engine when the browser has no writing API for the action. */
export function quickActionPrompt(action: QuickAction, text: string): { system: string; prompt: string } {
  return {
    system: 'You edit text. Answer with the edited text only, in the same language and format.',
    prompt: `${INSTRUCTIONS[action]}\n\n${text}`,
  };
}

/** The first plan whose API this browser has and can run now (no download). */
export async function availablePlan(
  plans: readonly WritingPlan[],
  global: BuiltInAiGlobal,
): Promise<WritingPlan | undefined> {
  for (const plan of plans) {
    const api = global[plan.api];
    if (typeof api?.availability !== 'function') continue;
    const state = await api.availability(plan.options as never).catch(() => 'unavailable' as const);
    if (state === 'available') return plan;
  }
  return undefined;
}

export type QuickActionStatus = 'idle' | 'running' | 'complete' | 'aborted' | 'error';

export interface QuickActionDeps {
  /** Where Summarizer/Rewriter/Writer live: `globalThis` in a page, a fake in tests. */
  global?: BuiltInAiGlobal;
  /** The block's engine choice: the engine it would generate with is the fallback. */
  engines: { selection: { choice: EngineId | undefined } | undefined; engine(engineId: EngineId): TextEngine };
}

/**
 * AI Text's quick actions on its kept text: runs one (the browser's Summarizer, Rewriter or
 * Writer where available, else a prompt to the chosen engine), streams the result, and stops
 * on request keeping the partial text. The element keeps or discards the result.
 */
export class QuickActionsController implements ReactiveController {
  status: QuickActionStatus = 'idle';
  action: QuickAction | undefined;
  source: QuickActionSource | undefined;
  text = '';
  error: SerializedAiError | undefined;
  /** The engine and model that wrote `text`, for provenance. */
  engineId: string | undefined;
  modelId: string | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: QuickActionDeps,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Nothing to start: actions run on request.
  }

  hostDisconnected(): void {
    this.stop();
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Runs `action` on `text`; resolves when it has ended (complete, stopped or failed). */
  async run(action: QuickAction, text: string): Promise<void> {
    if (this.busy || !text.trim()) return;
    const abort = new AbortController();
    Object.assign(this, { abort, action, status: 'running', text: '', error: undefined, source: undefined });
    this.host.requestUpdate();
    const global = this.deps.global ?? (globalThis as BuiltInAiGlobal);
    try {
      const plan = await availablePlan(writingPlans(action, text), global);
      if (plan) await this.runWritingApi(plan, global, abort.signal);
      else await this.runEngine(action, text, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) this.status = 'aborted';
      else {
        this.status = 'error';
        this.error = AiError.from(error).toJSON();
      }
    }
    if (this.abort === abort) this.abort = undefined;
    this.host.requestUpdate();
  }

  /** Provenance of the result, for keeping it. */
  provenance(): Provenance {
    return {
      ...(this.engineId ? { engineId: this.engineId } : {}),
      ...(this.modelId ? { modelId: this.modelId } : {}),
      completionStatus: this.status === 'complete' ? 'complete' : 'stopped',
    };
  }

  stop(): void {
    this.abort?.abort();
  }

  /** Forgets the result (after it was kept or discarded). */
  reset(): void {
    if (this.busy) return;
    Object.assign(this, { status: 'idle', action: undefined, source: undefined, text: '', error: undefined });
    this.host.requestUpdate();
  }

  private append(delta: string): void {
    this.text += delta;
    this.host.requestUpdate();
  }

  private async runWritingApi(plan: WritingPlan, global: BuiltInAiGlobal, signal: AbortSignal): Promise<void> {
    this.source = plan.api;
    this.engineId = 'browser-ai';
    this.modelId = `chrome-${plan.api.toLowerCase()}`;
    const api = global[plan.api];
    if (!api) throw new Error(`${plan.api} is missing`);
    const task: WritingTask = await api.create({ ...plan.options, signal } as never);
    try {
      const stream = task[plan.method]?.(plan.input, { signal });
      if (!stream) throw new Error(`${plan.api} cannot stream`);
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.append(value);
      }
      this.status = 'complete';
    } finally {
      task.destroy();
    }
  }

  private async runEngine(action: QuickAction, text: string, signal: AbortSignal): Promise<void> {
    const choice = this.deps.engines.selection?.choice;
    const engine = choice ? this.deps.engines.engine(choice) : undefined;
    this.source = 'engine';
    if (!engine) throw new Error('No engine can run here.');
    this.engineId = engine.engineId;
    this.modelId = engine.modelId;
    const { system, prompt } = quickActionPrompt(action, text);
    const run = streamText({ engine, system, messages: [{ role: 'user', content: prompt }], abortSignal: signal });
    for await (const delta of run.textStream) this.append(delta);
    const outcome = await run.outcome;
    this.text = outcome.text;
    this.status = outcome.status;
    if (outcome.error) this.error = outcome.error;
  }
}
