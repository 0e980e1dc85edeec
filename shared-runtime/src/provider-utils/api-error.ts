import { AiError, AiErrorCode } from '../interface/errors.js';

/** What a vendor's JSON error body says, in the shapes OpenAI, OpenRouter, vLLM and Anthropic use. */
export interface VendorError {
  message?: string;
  type?: string;
  code?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `{error: {message, type, code}}` (or vLLM's flat shape) from a parsed body. */
export function parseVendorError(body: unknown): VendorError {
  const source = isRecord(body) && isRecord(body['error']) ? body['error'] : isRecord(body) ? body : {};
  const text = (key: string) => {
    const value = source[key];
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  };
  const result: VendorError = {};
  const message = text('message');
  const type = text('type');
  const code = text('code');
  if (message !== undefined) result.message = message;
  if (type !== undefined) result.type = type;
  if (code !== undefined) result.code = code;
  return result;
}

const CONTEXT_PATTERN =
  /context[_ ]length|context window|too long|maximum context|exceed_context_size|prompt is too long/i;
const FILTER_PATTERN = /content[_ ]policy|content_filter|safety|moderation|refus/i;

/**
 * Translates an HTTP failure into the runtime's error codes, keeping the vendor's words in the
 * message and the vendor error as `cause`. Never includes request headers (API keys).
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  options: { provider: string; retryAfterMs?: number },
): AiError {
  const vendor = parseVendorError(body);
  const detail =
    vendor.message ?? (typeof body === 'string' && body.trim() !== '' ? body.slice(0, 300) : `HTTP ${status}`);
  const message = `${options.provider} answered ${status}: ${detail}`;
  const base = { statusCode: status, cause: { status, body } } as const;
  const withRetry = options.retryAfterMs === undefined ? base : { ...base, retryAfterMs: options.retryAfterMs };
  const kind = `${vendor.type ?? ''} ${vendor.code ?? ''}`;
  if (/insufficient_quota|billing/.test(kind) || status === 402)
    return new AiError(AiErrorCode.OUT_OF_QUOTA, message, { ...base, retryable: false });
  if (status === 401 || status === 403 || /authentication|permission|invalid_api_key/.test(kind))
    return new AiError(AiErrorCode.AUTHENTICATION, message, base);
  if (status === 429 || /rate_limit/.test(kind)) return new AiError(AiErrorCode.RATE_LIMITED, message, withRetry);
  if (CONTEXT_PATTERN.test(`${kind} ${detail}`) || status === 413)
    return new AiError(AiErrorCode.INPUT_TOO_LONG, message, base);
  if (FILTER_PATTERN.test(`${kind} ${detail}`)) return new AiError(AiErrorCode.CONTENT_FILTERED, message, base);
  if (status === 404 && /model/i.test(detail)) return new AiError(AiErrorCode.MODEL_NOT_FOUND, message, base);
  if (status === 408) return new AiError(AiErrorCode.TIMEOUT, message, withRetry);
  if (status >= 500) return new AiError(AiErrorCode.SERVER_ERROR, message, withRetry);
  if (status === 409) return new AiError(AiErrorCode.SERVER_ERROR, message, withRetry);
  return new AiError(AiErrorCode.INVALID_REQUEST, message, base);
}

/** An error object that arrived inside a 200 stream (OpenRouter, OpenAI, Anthropic `event: error`). */
export function errorFromStreamEvent(body: unknown, provider: string): AiError {
  const vendor = parseVendorError(body);
  const numeric = Number(vendor.code);
  const status =
    Number.isInteger(numeric) && numeric >= 400
      ? numeric
      : /overloaded/.test(vendor.type ?? '')
        ? 529
        : /rate_limit/.test(vendor.type ?? '')
          ? 429
          : 500;
  const error = errorFromResponse(status, body, { provider });
  return new AiError(error.code, `${provider} reported an error mid-stream: ${vendor.message ?? 'unknown error'}`, {
    cause: body,
    statusCode: status,
  });
}
