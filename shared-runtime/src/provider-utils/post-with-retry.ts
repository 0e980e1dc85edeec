import { AiError, AiErrorCode, isAbortError } from '../interface/errors.js';
import { errorFromResponse } from './api-error.js';
import { backoffDelay, delay, isRetryableStatus, retryAfterMs, type RetryPolicy } from './retry-policy.js';

export interface PostOptions {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  fetch: typeof fetch;
  provider: string;
  retry: RetryPolicy;
  /** Milliseconds until the response headers must arrive (per attempt). */
  connectTimeoutMs: number;
  abortSignal?: AbortSignal;
  /**
   * False for a request that must not run twice (image generation is billed per call): then
   * only failures that prove the server did not take the request are retried, i.e. a refused
   * connection or an unknown host (as Node reports them; a browser's "Failed to fetch" does
   * not say, so it is not retried) and a 429 that names a retry-after. A timeout or a 5xx may
   * come after the work was done, so they are returned at once. Default true.
   */
  idempotent?: boolean;
  /** Called before each retry (tests and logs observe the policy). */
  onRetry?: (attempt: number, error: AiError, delayMs: number) => void;
}

async function readErrorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// Error codes (Node's, on the error or its cause) that mean no request reached a server.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a failed fetch provably never delivered the request (refused connection, unknown host). */
export function neverSent(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    typeof current === 'object' && current !== null && depth < 4;
    depth += 1
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * POSTs JSON and returns the successful response, retrying 408/409/429/5xx and network
 * failures with backoff (honouring retry-after, never for insufficient_quota). Only the
 * headers are awaited here: the body is the caller's, so no retry can happen once output
 * has started. Throws an AiError, or the abort reason when `abortSignal` aborts.
 */
export async function postWithRetry(options: PostOptions): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    options.abortSignal?.throwIfAborted();
    const attemptController = new AbortController();
    const onAbort = () => {
      attemptController.abort(options.abortSignal?.reason);
    };
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
    const attemptState = { timedOut: false };
    const timer = setTimeout(() => {
      attemptState.timedOut = true;
      attemptController.abort(new DOMException('connect timeout', 'TimeoutError'));
    }, options.connectTimeoutMs);
    let error: AiError;
    // Set when the answer itself says not to retry (thrown below, passed through the catch).
    let final = false;
    try {
      const response = await options.fetch(options.url, {
        method: 'POST',
        headers: options.headers,
        body: JSON.stringify(options.body),
        signal: attemptController.signal,
      });
      clearTimeout(timer);
      if (response.ok) {
        // Keep following the caller's signal while the body streams.
        return response;
      }
      options.abortSignal?.removeEventListener('abort', onAbort);
      const wait = retryAfterMs(response.headers);
      error = errorFromResponse(response.status, await readErrorBody(response), {
        provider: options.provider,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
      final =
        !isRetryableStatus(response.status) ||
        error.code === AiErrorCode.OUT_OF_QUOTA ||
        response.headers.get('x-should-retry') === 'false' ||
        (options.idempotent === false && !(response.status === 429 && wait !== undefined));
      throw error;
    } catch (caught) {
      clearTimeout(timer);
      options.abortSignal?.removeEventListener('abort', onAbort);
      if (options.abortSignal?.aborted) throw options.abortSignal.reason;
      if (AiError.isInstance(caught)) {
        if (final || !isRetryableStatus(caught.statusCode ?? 0) || caught.code === AiErrorCode.OUT_OF_QUOTA)
          throw caught;
        if (options.idempotent === false && !(caught.statusCode === 429 && caught.retryAfterMs !== undefined))
          throw caught;
        error = caught;
      } else if (attemptState.timedOut) {
        error = new AiError(
          AiErrorCode.TIMEOUT,
          `${options.provider} did not answer within ${options.connectTimeoutMs} ms`,
          { cause: caught },
        );
        if (options.idempotent === false) throw error;
      } else if (isAbortError(caught)) {
        throw caught;
      } else {
        error = new AiError(
          AiErrorCode.NETWORK,
          `Could not reach ${options.provider}: ${caught instanceof Error ? caught.message : String(caught)}`,
          { cause: caught },
        );
        if (options.idempotent === false && !neverSent(caught)) throw error;
      }
    }
    if (attempt >= options.retry.maxRetries) throw error;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > options.retry.maxRetryAfterMs) throw error;
    const wait = backoffDelay(options.retry, attempt + 1, error.retryAfterMs);
    options.onRetry?.(attempt + 1, error, wait);
    await delay(wait, options.abortSignal);
  }
}
