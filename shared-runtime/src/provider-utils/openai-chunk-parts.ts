import type { FinishReason, TextStreamPart, Usage } from '../interface/engine.js';
import { ownValue } from './own-value.js';
import type { StreamItem } from './stream-items.js';

/** One chat-completion chunk in OpenAI's shape, which web-llm and wllama also stream. */
export interface OpenAIChunk {
  choices?:
    | readonly {
        delta?: { content?: string | null | undefined } | null | undefined;
        finish_reason?: string | null | undefined;
      }[]
    | null
    | undefined;
  usage?: { prompt_tokens?: number | undefined; completion_tokens?: number | undefined } | null | undefined;
}

/** OpenAI's finish reasons as the runtime's. */
const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  abort: 'abort',
  error: 'error',
  tool_calls: 'other',
};

/** A finish reason from a server or a library (own entries only: the name is foreign); unknown ones are `other`. */
export function openAIFinishReason(raw: string | null | undefined): FinishReason | undefined {
  return raw ? (ownValue(FINISH_REASONS, raw) ?? 'other') : undefined;
}

export interface ChunkPartsOptions {
  /**
   * The error a stream that ends without a finish reason or `[DONE]` ends with (an HTTP stream
   * cut short). Without it such a stream finishes with `stop` (a local engine's iterator ends
   * only when the answer does).
   */
  endedEarly?: () => unknown;
  /** Report usage even when no chunk carried it: no prompt count, one token per text delta. */
  countDeltas?: boolean;
  /**
   * Called at once when the reader cancels. The cancel also reaches the source, but through
   * the pipe a few ticks later; an engine that must stop generating now says so here.
   */
  onCancel?: () => void;
}

/**
 * The one OpenAI-chunk-to-parts transform of the engines that speak that shape: text deltas
 * as they come, then one finish part with the last finish reason and usage. A `{ failure }`
 * item becomes the error part and ends the stream; `{ done }` (`[DONE]`) finishes it.
 */
export function openAIChunkParts(
  options: ChunkPartsOptions = {},
): TransformStream<StreamItem<OpenAIChunk>, TextStreamPart> {
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let deltas = 0;
  let finished = false;
  const finish = (controller: TransformStreamDefaultController<TextStreamPart>, fallback: FinishReason) => {
    finished = true;
    const reported = usage ?? (options.countDeltas ? { inputTokens: 0, outputTokens: deltas } : undefined);
    controller.enqueue({
      type: 'finish',
      finishReason: finishReason ?? fallback,
      ...(reported ? { usage: reported } : {}),
    });
  };
  // `cancel` is in the Streams standard, not yet in TypeScript's DOM types.
  const transformer: Transformer<StreamItem<OpenAIChunk>, TextStreamPart> & { cancel: () => void } = {
    transform(item, controller) {
      if (finished) return;
      if ('failure' in item) {
        finished = true;
        controller.enqueue({ type: 'error', error: item.failure });
        controller.terminate();
        return;
      }
      if ('done' in item) {
        finish(controller, 'other');
        return;
      }
      const chunk = item.value;
      if (chunk.usage)
        usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
      const choice = chunk.choices?.[0];
      finishReason = openAIFinishReason(choice?.finish_reason) ?? finishReason;
      const delta = choice?.delta?.content;
      if (delta) {
        deltas += 1;
        controller.enqueue({ type: 'text-delta', delta });
      }
    },
    flush(controller) {
      if (finished) return;
      if (finishReason !== undefined || !options.endedEarly) finish(controller, 'stop');
      else controller.enqueue({ type: 'error', error: options.endedEarly() });
    },
    cancel() {
      options.onCancel?.();
    },
  };
  return new TransformStream(transformer);
}
