import { AiError, AiErrorCode } from '../interface/errors.js';

export interface ReadBodyOptions {
  /** Milliseconds without a byte after which reading gives up (TIMEOUT). */
  idleMs: number;
  /** What is being read, for the message ("the images response from api.openai.com"). */
  what: string;
  abortSignal?: AbortSignal;
}

/**
 * Reads a whole response body, giving up when no byte arrives for `idleMs` (a server that
 * sent its headers and then stalled would otherwise hold the caller forever). Cancels the
 * body on timeout or abort; throws TIMEOUT, NETWORK, or the abort reason.
 */
export async function readBodyBytes(response: Response, options: ReadBodyOptions): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(options.abortSignal?.reason as Error);
    };
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    options.abortSignal?.throwIfAborted();
    for (;;) {
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new AiError(
              AiErrorCode.TIMEOUT,
              `No data arrived for ${Math.round(options.idleMs / 1000)} s while reading ${options.what}`,
            ),
          );
        }, options.idleMs);
      });
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await Promise.race([reader.read(), idle, stop]);
      } catch (error) {
        if (AiError.isInstance(error) || options.abortSignal?.aborted) throw error;
        throw new AiError(AiErrorCode.NETWORK, `The connection dropped while reading ${options.what}`, {
          cause: error,
        });
      } finally {
        clearTimeout(timer);
      }
      if (next.done) break;
      chunks.push(next.value);
      length += next.value.length;
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    if (onAbort) options.abortSignal?.removeEventListener('abort', onAbort);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

export interface FetchImageOptions {
  fetch: typeof fetch;
  /** Until the response headers arrive. */
  connectMs: number;
  /** Between two pieces of the body. */
  idleMs: number;
  /** Who made the image, for messages. */
  provider: string;
  abortSignal?: AbortSignal;
}

/** Fetches a generated image by its URL (no credentials sent), with timeouts and a status check. */
export async function fetchImageBytes(url: string, options: FetchImageOptions): Promise<Uint8Array> {
  const controller = new AbortController();
  const onAbort = () => {
    controller.abort(options.abortSignal?.reason);
  };
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  const state = { timedOut: false };
  const timer = setTimeout(() => {
    state.timedOut = true;
    controller.abort(new DOMException('image fetch timeout', 'TimeoutError'));
  }, options.connectMs);
  try {
    let response: Response;
    try {
      response = await options.fetch(url, { signal: controller.signal });
    } catch (error) {
      if (options.abortSignal?.aborted) throw options.abortSignal.reason;
      if (state.timedOut)
        throw new AiError(
          AiErrorCode.TIMEOUT,
          `The image ${options.provider} made did not arrive within ${Math.round(options.connectMs / 1000)} s`,
          { cause: error },
        );
      throw new AiError(
        AiErrorCode.NETWORK,
        `Could not fetch the image ${options.provider} made: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      void response.body?.cancel().catch(() => undefined);
      throw new AiError(
        response.status >= 500 ? AiErrorCode.SERVER_ERROR : AiErrorCode.BAD_RESPONSE,
        `Could not fetch the image ${options.provider} made: HTTP ${response.status}`,
        { statusCode: response.status, retryable: false },
      );
    }
    return await readBodyBytes(response, {
      idleMs: options.idleMs,
      what: `the image from ${options.provider}`,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
  } finally {
    options.abortSignal?.removeEventListener('abort', onAbort);
  }
}
