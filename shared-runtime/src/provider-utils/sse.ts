import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { AiError, AiErrorCode } from '../interface/errors.js';

export interface SseReadOptions {
  /** Milliseconds allowed before the next event (asked before every read, so it can change: first token vs idle). */
  idleTimeoutMs: () => number;
  abortSignal?: AbortSignal;
  provider: string;
}

/**
 * Reads Server-Sent Events from a response body with a spec-compliant parser (comment lines,
 * CRLF, multi-line data and retry fields all handled by eventsource-parser). Throws TIMEOUT
 * when the stream stalls, NETWORK when it breaks, and the abort reason on abort; cancels the
 * body (releasing the connection) whenever it stops early.
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>, options: SseReadOptions): AsyncGenerator<EventSourceMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => queue.push(event) });
  let finished = false;
  try {
    for (;;) {
      while (queue.length > 0) {
        const event = queue.shift();
        if (event) yield event;
      }
      const result = await readWithTimeout(reader, options);
      if (result.done) {
        parser.feed(decoder.decode());
        while (queue.length > 0) {
          const event = queue.shift();
          if (event) yield event;
        }
        finished = true;
        return;
      }
      parser.feed(decoder.decode(result.value, { stream: true }));
    }
  } finally {
    if (!finished) {
      // Stopping early (abort, timeout, consumer gave up): close the connection.
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}

async function readWithTimeout(reader: ReadableStreamDefaultReader<Uint8Array>, options: SseReadOptions): Promise<ReadableStreamReadResult<Uint8Array>> {
  options.abortSignal?.throwIfAborted();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const timeoutMs = options.idleTimeoutMs();
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AiError(AiErrorCode.TIMEOUT, `${options.provider} sent nothing for ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = () => { reject(options.abortSignal?.reason as Error); };
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([reader.read(), guard]);
  } catch (error) {
    if (AiError.isInstance(error) || options.abortSignal?.aborted) throw error;
    throw new AiError(AiErrorCode.NETWORK, `The connection to ${options.provider} broke: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    if (onAbort) options.abortSignal?.removeEventListener('abort', onAbort);
  }
}
