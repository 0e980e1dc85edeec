import { AiError, AiErrorCode } from '../interface/errors.js';
import type { StreamTimeouts } from './retry-policy.js';
import { readSseEvents } from './sse.js';
import type { StreamItem } from './stream-items.js';

export interface JsonEventOptions<T> {
  provider: string;
  timeouts: StreamTimeouts;
  abortSignal?: AbortSignal | undefined;
  /** What one event is called in messages ("a chunk", "an event"). */
  what: string;
  /** Data that ends the stream (OpenAI's `[DONE]`): an explicit end, after which the rest is drained. */
  doneData?: string;
  /** Checks one event's JSON at the edge: its value, or the failure that ends the stream. */
  decode: (json: unknown) => { value: T } | { failure: unknown };
  /** Whether an event carries text: until one does, the first-token timeout applies, then the idle one. */
  isText: (value: T) => boolean;
}

/**
 * The one JSON-event parser of the HTTP engines: a response body of server-sent events as
 * their parsed and checked JSON, read on demand. Data that is not JSON or that `decode`
 * refuses, a stall (TIMEOUT) or a broken connection (NETWORK) ends it with a `{ failure }`
 * item; an abort errors it with the signal's reason; cancelling it closes the connection.
 */
export function jsonEventStream<T>(
  body: ReadableStream<Uint8Array>,
  options: JsonEventOptions<T>,
): ReadableStream<StreamItem<T>> {
  let sawText = false;
  const events = readSseEvents(body, {
    provider: options.provider,
    idleTimeoutMs: () => (sawText ? options.timeouts.idleMs : options.timeouts.firstTokenMs),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  return new ReadableStream<StreamItem<T>>(
    {
      async pull(controller) {
        try {
          const next = await events.next();
          if (next.done) {
            controller.close();
            return;
          }
          const data = next.value.data;
          if (options.doneData !== undefined && data === options.doneData) {
            controller.enqueue({ done: true });
            controller.close();
            // Read the (normally empty) rest instead of cancelling, so the connection is kept
            // alive for the next request; a server that keeps sending is cut by the idle timeout.
            void drain(events);
            return;
          }
          let json: unknown;
          try {
            json = JSON.parse(data);
          } catch (error) {
            controller.enqueue({
              failure: new AiError(
                AiErrorCode.BAD_RESPONSE,
                `${options.provider} sent ${options.what} that is not JSON`,
                { cause: error },
              ),
            });
            controller.close();
            await events.return(undefined);
            return;
          }
          const item = options.decode(json);
          if ('failure' in item) {
            controller.enqueue(item);
            controller.close();
            await events.return(undefined);
            return;
          }
          if (options.isText(item.value)) sawText = true;
          controller.enqueue(item);
        } catch (error) {
          if (options.abortSignal?.aborted) controller.error(options.abortSignal.reason);
          else {
            controller.enqueue({ failure: error });
            controller.close();
          }
        }
      },
      async cancel() {
        await events.return(undefined);
      },
    },
    // Reading a few events ahead keeps the pipe busy (each chunk costs less time); the
    // timeouts run only while a read waits, so reading ahead changes none of them.
    { highWaterMark: 8 },
  );
}

async function drain(events: AsyncGenerator): Promise<void> {
  try {
    while (!(await events.next()).done) {
      /* discard */
    }
  } catch {
    // The stream already finished for the caller; a late failure changes nothing.
  }
}
