import * as z from 'zod/mini';
import type {
  Availability,
  GeneratedImage,
  ImageCallOptions,
  ImageEngine,
  TextCallOptions,
  TextEngine,
  TextStreamPart,
  TextStreamResult,
} from '../../interface/engine.js';
import { AiError, AiErrorCode } from '../../interface/errors.js';
import {
  base64ToBytes,
  fetchImageBytes,
  ignoredStopSequences,
  openAIFinishReason,
  ownValue,
  reportedModelSchema,
  sniffImageType,
} from '../../provider-utils/index.js';

/** Sends one service-module message; the real one is a ServiceBlockHandler on the block element. */
export type ServiceTransport = (
  messageName: 'openaiCompleteChat' | 'openaiCreateImage',
  data: unknown,
) => Promise<{ data?: unknown; errors?: { code: string; message: string }[] }>;

export interface ServiceModuleSettings {
  transport: ServiceTransport;
  /** The model named in HASH's payload (hosts may override it). */
  model?: string;
  /** Hosts without the service module never answer: give up after this long (default 60 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SERVICE_ERRORS: Record<string, AiErrorCode> = {
  FORBIDDEN: AiErrorCode.ENGINE_UNAVAILABLE,
  UNAUTHORIZED: AiErrorCode.AUTHENTICATION,
  TOO_MANY_REQUESTS: AiErrorCode.RATE_LIMITED,
  INVALID_INPUT: AiErrorCode.INVALID_REQUEST,
  NOT_IMPLEMENTED: AiErrorCode.ENGINE_UNAVAILABLE,
  INTERNAL_ERROR: AiErrorCode.SERVER_ERROR,
};

function serviceError(errors: { code: string; message: string }[]): AiError {
  const first = errors[0];
  const message = first?.message ?? 'The host’s AI service failed';
  const code =
    (typeof first?.code === 'string' ? ownValue(SERVICE_ERRORS, first.code) : undefined) ?? AiErrorCode.SERVER_ERROR;
  // Hosts forward vendor messages; recognise the specific ones.
  if (code === AiErrorCode.INVALID_REQUEST && /content[_ ]policy|safety/i.test(message))
    return new AiError(AiErrorCode.CONTENT_FILTERED, message, { cause: errors });
  if (/context[_ ]length|too long/i.test(message))
    return new AiError(AiErrorCode.INPUT_TOO_LONG, message, { cause: errors });
  return new AiError(code, message, { cause: errors });
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new AiError(
              AiErrorCode.TIMEOUT,
              `The host did not answer within ${Math.round(timeoutMs / 1000)} s (it may not offer the service module)`,
            ),
          );
        }, timeoutMs);
        onAbort = () => {
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * An engine backed by the embedding application's service module (HASH's way: the host pays
 * and keeps the keys). The module does not stream, so a reply arrives as one delta.
 */
export function createServiceModuleEngine(settings: ServiceModuleSettings): TextEngine & ImageEngine {
  const timeoutMs = settings.timeoutMs ?? 60_000;
  return {
    specificationVersion: 'v1',
    engineId: 'service-module',
    modelId: settings.model ?? 'host-default',
    kind: 'embedder',
    availability: (): Promise<Availability> => Promise.resolve('available'),

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      options.abortSignal?.throwIfAborted();
      const payload: Record<string, unknown> = {
        model: settings.model ?? 'gpt-4o-mini',
        messages: [...(options.system ? [{ role: 'system', content: options.system }] : []), ...options.messages],
      };
      if (options.temperature !== undefined) payload['temperature'] = options.temperature;
      if (options.maxOutputTokens !== undefined) payload['max_tokens'] = options.maxOutputTokens;
      const answer = await withTimeout(
        settings.transport('openaiCompleteChat', payload),
        timeoutMs,
        options.abortSignal,
      );
      if (answer.errors?.length) throw serviceError(answer.errors);
      const parsed = chatResponseSchema.safeParse(answer.data);
      if (!parsed.success) {
        const message = 'The host’s AI service sent a reply that does not follow the API';
        throw new AiError(AiErrorCode.BAD_RESPONSE, message, { cause: parsed.error });
      }
      const choice = parsed.data.choices[0];
      const text = choice?.message?.content ?? '';
      const finish = openAIFinishReason(choice?.finish_reason) ?? 'stop';
      const usage = parsed.data.usage;
      const stream = new ReadableStream<TextStreamPart>({
        start(controller) {
          if (text) controller.enqueue({ type: 'text-delta', delta: text });
          controller.enqueue({
            type: 'finish',
            finishReason: finish,
            ...(usage
              ? { usage: { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 } }
              : {}),
          });
          controller.close();
        },
      });
      // The service module's request has no field for them.
      // The host chooses the model: record the one its answer names.
      const modelId = parsed.data.model;
      return {
        stream,
        ...(modelId ? { response: { modelId } } : {}),
        ...ignoredStopSequences(options, 'The host’s AI service takes no stop sequences.'),
      };
    },

    async doGenerate(options: ImageCallOptions): Promise<{ images: GeneratedImage[] }> {
      options.abortSignal?.throwIfAborted();
      const payload: Record<string, unknown> = { prompt: options.prompt, response_format: 'b64_json' };
      if (options.n !== undefined) payload['n'] = options.n;
      if (options.size !== undefined) payload['size'] = options.size;
      const answer = await withTimeout(
        settings.transport('openaiCreateImage', payload),
        timeoutMs,
        options.abortSignal,
      );
      if (answer.errors?.length) throw serviceError(answer.errors);
      const parsed = imagesSchema.safeParse(answer.data);
      if (!parsed.success)
        throw new AiError(
          AiErrorCode.BAD_RESPONSE,
          'The host’s AI service sent an images reply that does not follow the API',
          { cause: parsed.error },
        );
      const images: GeneratedImage[] = [];
      const modelId = parsed.data.model;
      for (const item of parsed.data.data) {
        let bytes: Uint8Array | undefined;
        if (item.b64_json) bytes = base64ToBytes(item.b64_json);
        else if (item.url) {
          bytes = await fetchImageBytes(item.url, {
            fetch: settings.fetch ?? globalThis.fetch.bind(globalThis),
            connectMs: 60_000,
            idleMs: 30_000,
            provider: 'the host’s AI service',
            ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
          });
        }
        if (!bytes) throw new AiError(AiErrorCode.BAD_RESPONSE, 'The host’s AI service sent an image without data');
        images.push({ bytes, mediaType: sniffImageType(bytes), ...(modelId ? { modelId } : {}) });
      }
      return { images };
    },
  };
}

const chatResponseSchema = z.looseObject({
  model: reportedModelSchema,
  choices: z.array(
    z.looseObject({
      message: z.optional(z.looseObject({ content: z.optional(z.nullable(z.string())) })),
      finish_reason: z.optional(z.nullable(z.string())),
    }),
  ),
  usage: z.optional(
    z.looseObject({ prompt_tokens: z.optional(z.number()), completion_tokens: z.optional(z.number()) }),
  ),
});

const imagesSchema = z.looseObject({
  model: reportedModelSchema,
  data: z.array(
    z.looseObject({ b64_json: z.optional(z.nullable(z.string())), url: z.optional(z.nullable(z.string())) }),
  ),
});
