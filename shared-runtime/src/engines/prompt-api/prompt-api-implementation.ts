// Prompting the browser's built-in model: one session per call with the conversation as
// `initialPrompts`, streamed with `promptStreaming()`, the context checked first. Blocks import it
// from the runtime assets (engines/prompt-api.js) on first use; `createPromptApiEngine` is the light
// factory in front of it.
import type { CallWarning, ChatMessage, TextStreamPart, TextStreamResult, Usage } from '../../interface/engine.js';
import { AiError, AiErrorCode } from '../../interface/errors.js';
import { toBuiltInAiError } from './built-in-ai-errors.js';

export { toBuiltInAiError };
import type { PromptApiCallOptions } from './prompt-api-engine.js';
import type {
  LanguageModelCoreOptions,
  LanguageModelMessage,
  LanguageModelPromptOptions,
  LanguageModelSession,
  LanguageModelStatic,
} from './prompt-api-types.js';

/** The call options the Prompt API for pages does not take, as warnings (never dropped silently). */
export function unsupportedSettings(options: PromptApiCallOptions): CallWarning[] {
  const warnings: CallWarning[] = [];
  const details = 'Chrome’s built-in model chooses its own sampling on web pages.';
  if (options.temperature !== undefined)
    warnings.push({ type: 'unsupported-setting', setting: 'temperature', details });
  if (options.maxOutputTokens !== undefined)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'maxOutputTokens',
      details: 'Chrome’s built-in model has no length limit option.',
    });
  if (options.stopSequences?.length)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'stopSequences',
      details: 'Chrome’s built-in model has no stop sequences.',
    });
  return warnings;
}

/**
 * The conversation in the Prompt API's shape: one leading system prompt (the API allows only
 * that), the earlier turns as `initialPrompts`, and the last user message as the prompt. Turns
 * after the last user message (an assistant's start) go with it, the assistant's as a prefix.
 */
export function toPrompts(
  messages: readonly ChatMessage[],
  system?: string,
): { initialPrompts: LanguageModelMessage[]; input: string | LanguageModelMessage[] } {
  const systemText = [system, ...messages.filter((m) => m.role === 'system').map((m) => m.content)]
    .filter((text): text is string => Boolean(text))
    .join('\n\n');
  const turns = messages.filter((m) => m.role !== 'system');
  let last = turns.length - 1;
  while (last >= 0 && turns[last]?.role !== 'user') last -= 1;
  const history = turns.slice(0, Math.max(0, last));
  const initialPrompts: LanguageModelMessage[] = [
    ...(systemText ? [{ role: 'system' as const, content: systemText }] : []),
    ...history.map((m) => ({ role: m.role, content: m.content })),
  ];
  const rest = last >= 0 ? turns.slice(last) : turns;
  const input =
    rest.length === 1 && rest[0]?.role === 'user'
      ? rest[0].content
      : rest.map((m) => ({ role: m.role, content: m.content, ...(m.role === 'assistant' ? { prefix: true } : {}) }));
  return { initialPrompts, input };
}

/** The session's context accounting under either name (renamed after the TAG review). */
export function contextOf(session: LanguageModelSession): { window: number | undefined; usage: number | undefined } {
  const window = session.contextWindow ?? session.inputQuota;
  const usage = session.contextUsage ?? session.inputUsage;
  return {
    window: typeof window === 'number' && !Number.isNaN(window) ? window : undefined,
    usage: typeof usage === 'number' && Number.isFinite(usage) ? usage : undefined,
  };
}

function measure(
  session: LanguageModelSession,
  input: string | LanguageModelMessage[],
  options: LanguageModelPromptOptions,
): Promise<number> | undefined {
  if (session.measureContextUsage) return session.measureContextUsage(input, options);
  if (session.measureInputUsage) return session.measureInputUsage(input, options);
  return undefined;
}

/** Streams one answer from a fresh session holding the conversation; the session ends with the stream. */
export async function streamPrompt(
  api: LanguageModelStatic,
  io: LanguageModelCoreOptions,
  options: PromptApiCallOptions,
): Promise<TextStreamResult> {
  const signal = options.abortSignal;
  const warnings = unsupportedSettings(options);
  const { initialPrompts, input } = toPrompts(options.messages, options.system);
  const promptOptions: LanguageModelPromptOptions = {
    ...(options.responseFormat ? { responseConstraint: options.responseFormat.schema ?? { type: 'object' } } : {}),
    ...(signal ? { signal } : {}),
  };
  let session: LanguageModelSession;
  try {
    session = await api.create({ ...io, initialPrompts, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw toBuiltInAiError(error, 'create');
  }
  let source: ReadableStream<string>;
  let inputTokens: number | undefined;
  try {
    const before = contextOf(session);
    const needed = await measure(session, input, promptOptions);
    if (needed !== undefined && before.usage !== undefined) inputTokens = before.usage + needed;
    if (inputTokens !== undefined && before.window !== undefined && inputTokens > before.window)
      throw new AiError(
        AiErrorCode.INPUT_TOO_LONG,
        `The text needs about ${String(Math.ceil(inputTokens))} tokens; Chrome’s built-in model holds ` +
          `${String(before.window)}. Shorten it or start a new conversation.`,
      );
    source = session.promptStreaming(input, promptOptions);
  } catch (error) {
    session.destroy();
    throw toBuiltInAiError(error, 'prompt');
  }
  const reader = source.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    session.destroy();
  };
  const stream = new ReadableStream<TextStreamPart>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (!done) {
          if (value) controller.enqueue({ type: 'text-delta', delta: value });
          return;
        }
        const after = contextOf(session).usage;
        const usage: Usage | undefined =
          inputTokens !== undefined && after !== undefined
            ? { inputTokens, outputTokens: Math.max(0, after - inputTokens) }
            : undefined;
        controller.enqueue({ type: 'finish', finishReason: 'stop', ...(usage ? { usage } : {}) });
      } catch (error) {
        controller.enqueue({ type: 'error', error: toBuiltInAiError(error, 'prompt') });
      }
      end();
      controller.close();
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
      end();
    },
  });
  return { stream, ...(warnings.length ? { warnings } : {}) };
}
