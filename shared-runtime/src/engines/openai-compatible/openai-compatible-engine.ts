import * as z from 'zod/mini';
import type {
  Availability,
  ChatMessage,
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
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUTS,
  errorFromStreamEvent,
  fetchImageBytes,
  jsonEventStream,
  openAIChunkParts,
  postWithRetry,
  readBodyBytes,
  reportedModelSchema,
  sniffImageType,
  type OpenAIChunk,
  type RetryPolicy,
  type StreamTimeouts,
} from '../../provider-utils/index.js';

export interface OpenAICompatibleSettings {
  /** e.g. https://api.openai.com/v1, https://openrouter.ai/api/v1, http://127.0.0.1:11434/v1 */
  baseURL: string;
  /** Sent as `Authorization: Bearer …`; held in memory only, never logged or stored. */
  apiKey?: string;
  model: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  timeouts?: Partial<StreamTimeouts>;
  retry?: Partial<RetryPolicy>;
  /** Ask for the usage chunk (`stream_options.include_usage`); some servers reject unknown fields. */
  includeUsage?: boolean;
  /** A name for messages ("OpenAI", "OpenRouter", "the local server"); defaults to the host name. */
  providerName?: string;
  onRetry?: (attempt: number, error: AiError, delayMs: number) => void;
}

export type OpenAICompatibleEngine = TextEngine & ImageEngine;

/**
 * Chat (streamed) and image generation over the OpenAI wire format, which OpenAI,
 * OpenRouter, Ollama, LM Studio, vLLM and llama.cpp's server all speak.
 */
export function createOpenAICompatibleEngine(settings: OpenAICompatibleSettings): OpenAICompatibleEngine {
  const baseURL = settings.baseURL.replace(/\/+$/, '');
  const provider = settings.providerName ?? safeHost(baseURL);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...settings.timeouts };
  const retry = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
  const headers = (): Record<string, string> => ({
    'content-type': 'application/json',
    ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    ...settings.headers,
  });
  const post = (path: string, body: unknown, abortSignal: AbortSignal | undefined, idempotent = true) =>
    postWithRetry({
      url: `${baseURL}/${path}`,
      headers: headers(),
      body,
      fetch: settings.fetch ?? globalThis.fetch.bind(globalThis),
      provider,
      retry,
      connectTimeoutMs: timeouts.connectMs,
      idempotent,
      ...(abortSignal ? { abortSignal } : {}),
      ...(settings.onRetry ? { onRetry: settings.onRetry } : {}),
    });

  return {
    specificationVersion: 'v1',
    engineId: 'openai-compatible',
    modelId: settings.model,
    kind: 'cloud',
    availability: (): Promise<Availability> => Promise.resolve(settings.baseURL ? 'available' : 'unavailable'),

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      const body: Record<string, unknown> = {
        model: settings.model,
        messages: toWireMessages(options.system, options.messages),
        stream: true,
      };
      if (settings.includeUsage ?? true) body['stream_options'] = { include_usage: true };
      if (options.temperature !== undefined) body['temperature'] = options.temperature;
      if (options.maxOutputTokens !== undefined) body['max_tokens'] = options.maxOutputTokens;
      if (options.stopSequences?.length) body['stop'] = options.stopSequences;
      const response = await post('chat/completions', body, options.abortSignal);
      if (!response.body) throw new AiError(AiErrorCode.BAD_RESPONSE, `${provider} answered without a body`);
      return {
        stream: partsFromChatStream(response.body, {
          provider,
          timeouts,
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        }),
      };
    },

    async doGenerate(options: ImageCallOptions): Promise<{ images: GeneratedImage[] }> {
      const body: Record<string, unknown> = { model: settings.model, prompt: options.prompt };
      if (options.n !== undefined) body['n'] = options.n;
      if (options.size !== undefined) body['size'] = options.size;
      if (options.quality !== undefined) body['quality'] = options.quality;
      if (options.style !== undefined) body['style'] = options.style;
      // GPT image models always answer base64 and reject the field; others default to URLs.
      if (!settings.model.startsWith('gpt-image')) body['response_format'] = 'b64_json';
      // Each image generation is billed: never sent twice unless the server surely did not take it.
      const response = await post('images/generations', body, options.abortSignal, false);
      const signal = options.abortSignal ? { abortSignal: options.abortSignal } : {};
      const raw = await readBodyBytes(response, {
        idleMs: timeouts.idleMs,
        what: `the images response from ${provider}`,
        ...signal,
      });
      const parsed = imagesResponseSchema.safeParse(parseJson(raw));
      if (!parsed.success)
        throw new AiError(
          AiErrorCode.BAD_RESPONSE,
          `${provider} sent an images response that does not follow the API`,
          { cause: parsed.error },
        );
      const images: GeneratedImage[] = [];
      const modelId = parsed.data.model;
      for (const item of parsed.data.data) {
        let bytes: Uint8Array;
        if (item.b64_json) bytes = base64ToBytes(item.b64_json);
        else if (item.url)
          bytes = await fetchImageBytes(item.url, {
            fetch: settings.fetch ?? globalThis.fetch.bind(globalThis),
            connectMs: timeouts.connectMs,
            idleMs: timeouts.idleMs,
            provider,
            ...signal,
          });
        else throw new AiError(AiErrorCode.BAD_RESPONSE, `${provider} sent an image without data`);
        const image: GeneratedImage = { bytes, mediaType: sniffImageType(bytes) };
        if (item.revised_prompt) image.revisedPrompt = item.revised_prompt;
        if (modelId) image.modelId = modelId;
        images.push(image);
      }
      return { images };
    },
  };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the AI service';
  }
}

function toWireMessages(system: string | undefined, messages: ChatMessage[]): ChatMessage[] {
  return system ? [{ role: 'system', content: system }, ...messages] : messages;
}

/** Turns OpenAI chat-completion SSE into stream parts: checked chunks, then parts. */
export function partsFromChatStream(
  body: ReadableStream<Uint8Array>,
  options: { provider: string; timeouts: StreamTimeouts; abortSignal?: AbortSignal },
): ReadableStream<TextStreamPart> {
  const { provider } = options;
  return jsonEventStream(body, {
    provider,
    timeouts: options.timeouts,
    abortSignal: options.abortSignal,
    what: 'a chunk',
    doneData: '[DONE]',
    decode: (json) => decodeChunk(json, provider),
    isText: (chunk) => Boolean(chunk.choices?.[0]?.delta?.content),
  }).pipeThrough(
    openAIChunkParts({
      endedEarly: () => new AiError(AiErrorCode.NETWORK, `${provider} closed the stream before it finished`),
    }),
  );
}

/** A chunk that follows the API; one that does not, or that carries an error, ends the stream. */
function decodeChunk(json: unknown, provider: string): { value: OpenAIChunk } | { failure: unknown } {
  const chunk = chunkSchema.safeParse(json);
  if (!chunk.success)
    return {
      failure: new AiError(AiErrorCode.BAD_RESPONSE, `${provider} sent a chunk that does not follow the API`, {
        cause: chunk.error,
      }),
    };
  if (chunk.data.error !== undefined && chunk.data.error !== null)
    return { failure: errorFromStreamEvent(json, provider) };
  return { value: chunk.data };
}

// Wire schemas (validated at the edge; unknown fields allowed).
const chunkSchema = z.looseObject({
  choices: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          delta: z.optional(z.nullable(z.looseObject({ content: z.optional(z.nullable(z.string())) }))),
          finish_reason: z.optional(z.nullable(z.string())),
        }),
      ),
    ),
  ),
  usage: z.optional(
    z.nullable(z.looseObject({ prompt_tokens: z.optional(z.number()), completion_tokens: z.optional(z.number()) })),
  ),
  error: z.optional(z.unknown()),
});

const imagesResponseSchema = z.looseObject({
  model: reportedModelSchema,
  data: z.array(
    z.looseObject({
      b64_json: z.optional(z.nullable(z.string())),
      url: z.optional(z.nullable(z.string())),
      revised_prompt: z.optional(z.nullable(z.string())),
    }),
  ),
});
