/**
 * The server side of the host's Block Protocol `service` module: forwards HASH-shaped
 * `openaiCompleteChat` / `openaiCreateImage` payloads to an OpenAI-compatible endpoint, so
 * API keys stay on the server and never reach the page.
 */

export interface ServiceProxyConfig {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1 */
  baseUrl?: string;
  apiKey?: string;
  /** Chat model used when the block does not name one (or names one the endpoint lacks). */
  chatModel?: string;
  imageModel?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type ServiceErrorCode = 'FORBIDDEN' | 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS' | 'INVALID_INPUT' | 'NOT_IMPLEMENTED' | 'INTERNAL_ERROR';

export interface ServiceResult {
  data?: unknown;
  errors?: { code: ServiceErrorCode; message: string }[];
}

/** Reads the proxy's configuration from environment variables. */
export function serviceConfigFromEnv(env: Record<string, string | undefined>): ServiceProxyConfig {
  const config: ServiceProxyConfig = {};
  if (env['AI_BLOCKS_OPENAI_BASE_URL']) config.baseUrl = env['AI_BLOCKS_OPENAI_BASE_URL'];
  if (env['AI_BLOCKS_OPENAI_API_KEY']) config.apiKey = env['AI_BLOCKS_OPENAI_API_KEY'];
  if (env['AI_BLOCKS_OPENAI_MODEL']) config.chatModel = env['AI_BLOCKS_OPENAI_MODEL'];
  if (env['AI_BLOCKS_OPENAI_IMAGE_MODEL']) config.imageModel = env['AI_BLOCKS_OPENAI_IMAGE_MODEL'];
  return config;
}

export const NOT_CONFIGURED_MESSAGE =
  'The host has no AI service configured. Set AI_BLOCKS_OPENAI_BASE_URL (and AI_BLOCKS_OPENAI_API_KEY, AI_BLOCKS_OPENAI_MODEL) before `npm start`, or choose an in-browser engine.';

function statusToCode(status: number): ServiceErrorCode {
  if (status === 401) return 'FORBIDDEN';
  if (status === 403) return 'UNAUTHORIZED';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status === 400 || status === 404 || status === 422) return 'INVALID_INPUT';
  return 'INTERNAL_ERROR';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Handles one service call; never throws. */
export async function callService(method: string, payload: unknown, config: ServiceProxyConfig): Promise<ServiceResult> {
  if (method !== 'openaiCompleteChat' && method !== 'openaiCreateImage') {
    return { errors: [{ code: 'NOT_IMPLEMENTED', message: `The host does not offer ${method}.` }] };
  }
  if (!config.baseUrl) return { errors: [{ code: 'FORBIDDEN', message: NOT_CONFIGURED_MESSAGE }] };
  if (!isRecord(payload)) return { errors: [{ code: 'INVALID_INPUT', message: `${method} needs an object payload` }] };
  const body: Record<string, unknown> = { ...payload };
  let path: string;
  if (method === 'openaiCompleteChat') {
    path = 'chat/completions';
    if (config.chatModel) body['model'] = config.chatModel;
    // The service module cannot deliver chunks.
    body['stream'] = false;
  } else {
    path = 'images/generations';
    if (config.imageModel) body['model'] = config.imageModel;
  }
  const url = `${config.baseUrl.replace(/\/+$/, '')}/${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.apiKey) headers['authorization'] = `Bearer ${config.apiKey}`;
  try {
    const response = await (config.fetch ?? fetch)(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
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
      const vendorMessage = isRecord(json) && isRecord(json['error']) && typeof json['error']['message'] === 'string' ? json['error']['message'] : text.slice(0, 300);
      return { errors: [{ code: statusToCode(response.status), message: `The AI service answered ${response.status}: ${vendorMessage}` }] };
    }
    if (json === undefined) return { errors: [{ code: 'INTERNAL_ERROR', message: 'The AI service answered with something that is not JSON.' }] };
    return { data: json };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { errors: [{ code: 'INTERNAL_ERROR', message: `Could not reach the AI service: ${reason}` }] };
  }
}
