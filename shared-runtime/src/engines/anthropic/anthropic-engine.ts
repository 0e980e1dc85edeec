import * as z from 'zod/mini';
import type {
  Availability,
  FinishReason,
  TextCallOptions,
  TextEngine,
  TextStreamPart,
  TextStreamResult,
  Usage,
} from '../../interface/engine.js';
import { AiError, AiErrorCode } from '../../interface/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUTS,
  errorFromStreamEvent,
  jsonEventStream,
  ownValue,
  postWithRetry,
  type RetryPolicy,
  type StreamItem,
  type StreamTimeouts,
} from '../../provider-utils/index.js';

export interface AnthropicSettings {
  /** Held in memory only; sent as `x-api-key`. */
  apiKey: string;
  model: string;
  baseURL?: string;
  fetch?: typeof fetch;
  timeouts?: Partial<StreamTimeouts>;
  retry?: Partial<RetryPolicy>;
  /** Anthropic requires max_tokens; used when the caller sets none. */
  defaultMaxOutputTokens?: number;
}

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content-filter',
};

/** Streams from Anthropic's Messages API (from a browser too: it sends the direct-browser-access header). */
export function createAnthropicEngine(settings: AnthropicSettings): TextEngine {
  const baseURL = (settings.baseURL ?? 'https://api.anthropic.com/v1').replace(/\/+$/, '');
  const timeouts = { ...DEFAULT_TIMEOUTS, ...settings.timeouts };
  const retry = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
  const provider = 'Anthropic';
  return {
    specificationVersion: 'v1',
    engineId: 'anthropic',
    modelId: settings.model,
    kind: 'cloud',
    availability: (): Promise<Availability> => Promise.resolve(settings.apiKey ? 'available' : 'unavailable'),
    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      const body: Record<string, unknown> = {
        model: settings.model,
        max_tokens: options.maxOutputTokens ?? settings.defaultMaxOutputTokens ?? 1024,
        // Anthropic takes the system prompt apart from the messages, which are user/assistant only.
        messages: options.messages.filter((message) => message.role !== 'system'),
        stream: true,
      };
      const system = [
        options.system,
        ...options.messages.filter((message) => message.role === 'system').map((message) => message.content),
      ]
        .filter(Boolean)
        .join('\n\n');
      if (system) body['system'] = system;
      if (options.temperature !== undefined) body['temperature'] = options.temperature;
      if (options.stopSequences?.length) body['stop_sequences'] = options.stopSequences;
      const response = await postWithRetry({
        url: `${baseURL}/messages`,
        headers: {
          'content-type': 'application/json',
          'x-api-key': settings.apiKey,
          'anthropic-version': '2023-06-01',
          'anthropic-dangerous-direct-browser-access': 'true',
        },
        body,
        fetch: settings.fetch ?? globalThis.fetch.bind(globalThis),
        provider,
        retry,
        connectTimeoutMs: timeouts.connectMs,
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      });
      if (!response.body) throw new AiError(AiErrorCode.BAD_RESPONSE, 'Anthropic answered without a body');
      return {
        stream: partsFromAnthropicStream(response.body, {
          timeouts,
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        }),
      };
    },
  };
}

/** Turns Anthropic Messages SSE (named events) into stream parts: checked events, then parts. */
export function partsFromAnthropicStream(
  body: ReadableStream<Uint8Array>,
  options: { timeouts: StreamTimeouts; abortSignal?: AbortSignal },
): ReadableStream<TextStreamPart> {
  return jsonEventStream(body, {
    provider: 'Anthropic',
    timeouts: options.timeouts,
    abortSignal: options.abortSignal,
    what: 'an event',
    decode: decodeEvent,
    isText: (event) =>
      event.type === 'content_block_delta' && event.delta?.type === 'text_delta' && Boolean(event.delta.text),
  }).pipeThrough(anthropicParts());
}

type AnthropicEvent = z.infer<typeof eventSchema>;

/** An event that follows the API, kept with its JSON (an error event is translated from it). */
function decodeEvent(json: unknown): { value: AnthropicEvent & { json: unknown } } | { failure: unknown } {
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success)
    return {
      failure: new AiError(AiErrorCode.BAD_RESPONSE, 'Anthropic sent an event that does not follow the API', {
        cause: parsed.error,
      }),
    };
  return { value: { ...parsed.data, json } };
}

/** Anthropic's events as stream parts; the stream ends at `message_stop`, an error, or a failure. */
function anthropicParts(): TransformStream<StreamItem<AnthropicEvent & { json: unknown }>, TextStreamPart> {
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let finishReason: FinishReason | undefined;
  let ended = false;
  const end = (controller: TransformStreamDefaultController<TextStreamPart>, part: TextStreamPart) => {
    ended = true;
    controller.enqueue(part);
    controller.terminate();
  };
  return new TransformStream<StreamItem<AnthropicEvent & { json: unknown }>, TextStreamPart>({
    transform(item, controller) {
      if (ended) return;
      if ('failure' in item) {
        end(controller, { type: 'error', error: item.failure });
        return;
      }
      if (!('value' in item)) return;
      const event = item.value;
      switch (event.type) {
        case 'message_start':
          usage.inputTokens = event.message?.usage?.input_tokens ?? 0;
          usage.outputTokens = event.message?.usage?.output_tokens ?? 0;
          break;
        case 'content_block_delta':
          if (event.delta?.type === 'text_delta' && event.delta.text)
            controller.enqueue({ type: 'text-delta', delta: event.delta.text });
          break;
        case 'message_delta':
          if (event.delta?.stop_reason) finishReason = ownValue(STOP_REASONS, event.delta.stop_reason) ?? 'other';
          // Cumulative output tokens.
          if (event.usage?.output_tokens !== undefined) usage.outputTokens = event.usage.output_tokens;
          break;
        case 'message_stop':
          end(controller, { type: 'finish', finishReason: finishReason ?? 'stop', usage: { ...usage } });
          break;
        case 'error':
          end(controller, { type: 'error', error: errorFromStreamEvent(event.json, 'Anthropic') });
          break;
        default:
          break; // ping, content_block_start/stop, and future event types
      }
    },
    flush(controller) {
      if (!ended)
        controller.enqueue({
          type: 'error',
          error: new AiError(AiErrorCode.NETWORK, 'Anthropic closed the stream before message_stop'),
        });
    },
  });
}

const eventSchema = z.looseObject({
  type: z.string(),
  message: z.optional(
    z.looseObject({
      usage: z.optional(z.looseObject({ input_tokens: z.optional(z.number()), output_tokens: z.optional(z.number()) })),
    }),
  ),
  delta: z.optional(
    z.looseObject({
      type: z.optional(z.string()),
      text: z.optional(z.string()),
      stop_reason: z.optional(z.nullable(z.string())),
    }),
  ),
  usage: z.optional(z.looseObject({ output_tokens: z.optional(z.number()) })),
});
