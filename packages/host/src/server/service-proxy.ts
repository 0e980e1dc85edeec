/**
 * The server side of the host's Block Protocol `service` module: forwards HASH-shaped
 * `openaiCompleteChat` / `openaiCreateImage` payloads to an OpenAI-compatible endpoint, so
 * API keys stay on the server and never reach the page. The server's configuration bounds
 * what a call may spend (model, `n`, `max_tokens`, image size), and errors never carry the
 * upstream's words (which may echo keys or URLs): fixed messages go to the page, details to
 * the server's log with secrets removed.
 */
import { z } from 'zod';

export interface ServiceProxyConfig {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1 */
  baseUrl?: string;
  apiKey?: string;
  /** The chat model: forced when there is no allow-list, else the default for names not on it. */
  chatModel?: string;
  /** Chat models a block may ask for; others get `chatModel` (or the first of these). */
  allowedChatModels?: readonly string[];
  /** The image model: forced when there is no allow-list, else the default. */
  imageModel?: string;
  allowedImageModels?: readonly string[];
  /** Upper bound (and default) for `max_tokens` of a chat call. Default 4096. */
  maxTokens?: number;
  /** Upper bound for `n` of an image call. Default 4. */
  maxImages?: number;
  /** Image sizes a call may ask for. Default: the sizes of DALL·E 2/3 and gpt-image-1. */
  imageSizes?: readonly string[];
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Where error details go (secrets removed). Default: console.warn. */
  log?: (line: string) => void;
}

export type ServiceErrorCode =
  'FORBIDDEN' | 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS' | 'INVALID_INPUT' | 'NOT_IMPLEMENTED' | 'INTERNAL_ERROR';

export interface ServiceResult {
  data?: unknown;
  errors?: { code: ServiceErrorCode; message: string }[];
}

export const DEFAULT_MAX_TOKENS = 4096;
export const DEFAULT_MAX_IMAGES = 4;
export const DEFAULT_IMAGE_SIZES = [
  '256x256',
  '512x512',
  '1024x1024',
  '1792x1024',
  '1024x1792',
  '1536x1024',
  '1024x1536',
  'auto',
] as const;

const list = (value: string | undefined): string[] | undefined => {
  const items = value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
};

const positiveInteger = (value: string | undefined): number | undefined => {
  const number = Number(value);
  return value && Number.isInteger(number) && number > 0 ? number : undefined;
};

/** Reads the proxy's configuration from environment variables. */
export function serviceConfigFromEnv(env: Record<string, string | undefined>): ServiceProxyConfig {
  const config: ServiceProxyConfig = {};
  if (env['AI_BLOCKS_OPENAI_BASE_URL']) config.baseUrl = env['AI_BLOCKS_OPENAI_BASE_URL'];
  if (env['AI_BLOCKS_OPENAI_API_KEY']) config.apiKey = env['AI_BLOCKS_OPENAI_API_KEY'];
  if (env['AI_BLOCKS_OPENAI_MODEL']) config.chatModel = env['AI_BLOCKS_OPENAI_MODEL'];
  if (env['AI_BLOCKS_OPENAI_IMAGE_MODEL']) config.imageModel = env['AI_BLOCKS_OPENAI_IMAGE_MODEL'];
  const chatModels = list(env['AI_BLOCKS_OPENAI_ALLOWED_MODELS']);
  if (chatModels) config.allowedChatModels = chatModels;
  const imageModels = list(env['AI_BLOCKS_OPENAI_ALLOWED_IMAGE_MODELS']);
  if (imageModels) config.allowedImageModels = imageModels;
  const maxTokens = positiveInteger(env['AI_BLOCKS_OPENAI_MAX_TOKENS']);
  if (maxTokens) config.maxTokens = maxTokens;
  const maxImages = positiveInteger(env['AI_BLOCKS_OPENAI_MAX_IMAGES']);
  if (maxImages) config.maxImages = maxImages;
  const sizes = list(env['AI_BLOCKS_OPENAI_IMAGE_SIZES']);
  if (sizes) config.imageSizes = sizes;
  return config;
}

export const NOT_CONFIGURED_MESSAGE =
  'The host has no AI service configured. ' +
  'Set AI_BLOCKS_OPENAI_BASE_URL (and AI_BLOCKS_OPENAI_API_KEY, AI_BLOCKS_OPENAI_MODEL) before `npm start`, ' +
  'or choose an in-browser engine.';

// What the proxy forwards: these fields only (zod drops the rest, e.g. `tools`, `n` of a chat).
const messageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))]),
  name: z.string().max(64).optional(),
});
const chatPayloadSchema = z.object({
  model: z.string().max(200).optional(),
  messages: z.array(messageSchema).min(1).max(2000),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  stop: z.union([z.string().max(200), z.array(z.string().max(200)).max(4)]).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  seed: z.number().int().optional(),
});
const imagePayloadSchema = z.object({
  model: z.string().max(200).optional(),
  prompt: z.string().min(1).max(32_000),
  n: z.number().int().positive().optional(),
  size: z.string().max(20).optional(),
  quality: z.enum(['standard', 'hd', 'low', 'medium', 'high', 'auto']).optional(),
  style: z.enum(['vivid', 'natural']).optional(),
  response_format: z.enum(['b64_json', 'url']).optional(),
});

/** The model a call gets: allow-listed names pass, anything else gets the server's choice. */
function boundModel(
  requested: string | undefined,
  configured: string | undefined,
  allowed: readonly string[] | undefined,
): string | undefined {
  if (allowed?.length)
    return requested !== undefined && allowed.includes(requested) ? requested : (configured ?? allowed[0]);
  return configured ?? requested;
}

type Built = { path: string; body: Record<string, unknown> } | { error: string };

function buildRequest(
  method: 'openaiCompleteChat' | 'openaiCreateImage',
  payload: unknown,
  config: ServiceProxyConfig,
): Built {
  const invalid = (error: z.ZodError) => {
    const issue = error.issues[0];
    return { error: `${method}: ${issue?.path.join('.') || 'payload'} — ${issue?.message ?? 'invalid'}` };
  };
  if (method === 'openaiCompleteChat') {
    const parsed = chatPayloadSchema.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error);
    const cap = config.maxTokens ?? DEFAULT_MAX_TOKENS;
    const body: Record<string, unknown> = {
      ...parsed.data,
      max_tokens: Math.min(parsed.data.max_tokens ?? cap, cap),
      stream: false,
    };
    const model = boundModel(parsed.data.model, config.chatModel, config.allowedChatModels);
    if (model === undefined) delete body['model'];
    else body['model'] = model;
    return { path: 'chat/completions', body };
  }
  const parsed = imagePayloadSchema.safeParse(payload);
  if (!parsed.success) return invalid(parsed.error);
  const sizes = config.imageSizes ?? DEFAULT_IMAGE_SIZES;
  if (parsed.data.size !== undefined && !sizes.includes(parsed.data.size))
    return { error: `${method}: size must be one of ${sizes.join(', ')}` };
  const body: Record<string, unknown> = {
    ...parsed.data,
    n: Math.min(parsed.data.n ?? 1, config.maxImages ?? DEFAULT_MAX_IMAGES),
  };
  const model = boundModel(parsed.data.model, config.imageModel, config.allowedImageModels);
  if (model === undefined) delete body['model'];
  else body['model'] = model;
  return { path: 'images/generations', body };
}

// Vendor error codes whose meaning we can say in our own words (the vendor's text is never passed on).
const KNOWN_VENDOR_CODES: Record<string, string> = {
  content_policy_violation: 'The AI service’s safety system refused this prompt.',
  context_length_exceeded: 'The conversation is too long for the AI service’s model.',
  model_not_found:
    'The AI service does not have the requested model; the server’s AI_BLOCKS_OPENAI_MODEL may need setting.',
  insufficient_quota: 'The host’s AI service account has no quota left.',
};

/** A fixed, user-actionable answer for an upstream HTTP status. */
function upstreamError(status: number, vendorCode: string | undefined): { code: ServiceErrorCode; message: string } {
  const known =
    vendorCode !== undefined && Object.hasOwn(KNOWN_VENDOR_CODES, vendorCode)
      ? KNOWN_VENDOR_CODES[vendorCode]
      : undefined;
  if (status === 401)
    return {
      code: 'FORBIDDEN',
      message: 'The AI service refused the host’s API key (HTTP 401): check AI_BLOCKS_OPENAI_API_KEY on the server.',
    };
  if (status === 403)
    return { code: 'UNAUTHORIZED', message: known ?? 'The AI service refused this request (HTTP 403).' };
  if (status === 429)
    return {
      code: 'TOO_MANY_REQUESTS',
      message: known ?? 'The AI service is rate-limiting the host (HTTP 429); try again in a moment.',
    };
  if (status === 400 || status === 404 || status === 422)
    return { code: 'INVALID_INPUT', message: known ?? `The AI service rejected the request (HTTP ${status}).` };
  return { code: 'INTERNAL_ERROR', message: `The AI service failed (HTTP ${status}); try again later.` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes the key and any URL credentials from a line bound for the server's log. */
function redact(text: string, config: ServiceProxyConfig): string {
  let line = text.replace(/\/\/[^/\s@]*@/g, '//***@');
  if (config.apiKey) line = line.split(config.apiKey).join('***');
  return line.replace(/\b(sk|key|token)-[A-Za-z0-9_-]{6,}/gi, '$1-***').slice(0, 500);
}

/** Handles one service call; never throws. */
export async function callService(
  method: string,
  payload: unknown,
  config: ServiceProxyConfig,
): Promise<ServiceResult> {
  if (method !== 'openaiCompleteChat' && method !== 'openaiCreateImage') {
    return {
      errors: [{ code: 'NOT_IMPLEMENTED', message: 'The host offers only openaiCompleteChat and openaiCreateImage.' }],
    };
  }
  if (!config.baseUrl) return { errors: [{ code: 'FORBIDDEN', message: NOT_CONFIGURED_MESSAGE }] };
  if (!isRecord(payload)) return { errors: [{ code: 'INVALID_INPUT', message: `${method} needs an object payload` }] };
  const built = buildRequest(method, payload, config);
  if ('error' in built) return { errors: [{ code: 'INVALID_INPUT', message: built.error }] };
  const log =
    config.log ??
    ((line: string) => {
      console.warn(line);
    });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.apiKey) headers['authorization'] = `Bearer ${config.apiKey}`;
  try {
    const response = await (config.fetch ?? fetch)(`${config.baseUrl.replace(/\/+$/, '')}/${built.path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(built.body),
      signal: AbortSignal.timeout(config.timeoutMs ?? 120_000),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const vendor = isRecord(json) && isRecord(json['error']) ? json['error'] : undefined;
      const vendorCode = typeof vendor?.['code'] === 'string' ? vendor['code'] : undefined;
      const vendorMessage = typeof vendor?.['message'] === 'string' ? vendor['message'] : text;
      log(redact(`AI service ${method} answered HTTP ${response.status}: ${vendorMessage}`, config));
      return { errors: [upstreamError(response.status, vendorCode)] };
    }
    if (json === undefined) {
      log(`AI service ${method} answered HTTP ${response.status} with a body that is not JSON`);
      return {
        errors: [{ code: 'INTERNAL_ERROR', message: 'The AI service answered with something that is not JSON.' }],
      };
    }
    return { data: json };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    log(
      redact(
        `AI service ${method} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        config,
      ),
    );
    return {
      errors: [
        {
          code: 'INTERNAL_ERROR',
          message: timedOut
            ? 'The AI service did not answer in time.'
            : 'Could not reach the AI service; check AI_BLOCKS_OPENAI_BASE_URL on the server.',
        },
      ],
    };
  }
}
