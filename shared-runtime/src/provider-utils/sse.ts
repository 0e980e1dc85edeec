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
export async function* readSseEvents(
  body: ReadableStream<Uint8Array>,
  options: SseReadOptions,
): AsyncGenerator<EventSourceMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => queue.push(event) });
  // One timer and one abort listener for the whole stream (not a race per read): either one
  // cancels the reader, and the pending read then ends and says why.
  let stopped: Error | undefined;
  const stop = (reason: Error) => {
    stopped ??= reason;
    void reader.cancel().catch(() => undefined);
  };
  const onAbort = () => {
    stop(options.abortSignal?.reason as Error);
  };
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerMs = 0;
  let finished = false;
  try {
    options.abortSignal?.throwIfAborted();
    for (;;) {
      while (queue.length > 0) {
        const event = queue.shift();
        if (event) yield event;
      }
      // One timer, re-armed per read (refresh is far cheaper than a new timer per chunk); a
      // new one only when the allowed time changes (first token, then idle).
      const timeoutMs = options.idleTimeoutMs();
      // Browsers' timers are numbers without refresh: there, a new timer each time.
      const refreshable = typeof timer === 'object' && typeof timer.refresh === 'function';
      if (!refreshable || timeoutMs !== timerMs) {
        clearTimeout(timer);
        timerMs = timeoutMs;
        timer = setTimeout(() => {
          stop(new AiError(AiErrorCode.TIMEOUT, `${options.provider} sent nothing for ${timeoutMs} ms`));
        }, timeoutMs);
      } else timer?.refresh();
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (stopped) throw stopped;
        throw new AiError(
          AiErrorCode.NETWORK,
          `The connection to ${options.provider} broke: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      if (stopped) throw stopped;
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
    clearTimeout(timer);
    options.abortSignal?.removeEventListener('abort', onAbort);
    if (!finished) {
      // Stopping early (abort, timeout, consumer gave up): close the connection.
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}
