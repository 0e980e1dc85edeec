// What flows between the stages of an engine's stream before it becomes stream parts: values,
// the failure that ended the source (carried as a value, so the last stage turns it into an
// error part, as the engine interface asks), and an explicit end (OpenAI's `[DONE]`).

/** One item of a stage's stream. */
export type StreamItem<T> = { value: T } | { failure: unknown } | { done: true };

/**
 * A stream of an async iterator's values, read only when asked. A failure ends it with a
 * `{ failure }` item, an abort errors it with the signal's reason (an abort is no error part),
 * and cancelling it returns the iterator. `first` is a result already read ahead.
 */
export function iteratorStream<T>(
  iterator: AsyncIterator<T>,
  options: {
    abortSignal?: AbortSignal | undefined;
    /** Reads the next result (e.g. racing a worker's death); defaults to `iterator.next()`. */
    next?: () => Promise<IteratorResult<T>>;
    first?: IteratorResult<T>;
    /** Called for every value read (e.g. to interrupt a generation once aborted). */
    onValue?: () => void;
    /** Turns a failure into what the error part carries; returning a non-AiError (an abort) errors the stream. */
    failure?: (error: unknown) => { failure: unknown } | { abort: unknown };
    /** Called once the source ended or failed, and after a cancel unless `cancel` is given. */
    onEnd?: () => void;
    /** Stops the source when the reader cancels (default: return the iterator). */
    cancel?: () => Promise<void> | void;
  } = {},
): ReadableStream<StreamItem<T>> {
  let pending = options.first;
  let ended = false;
  // A read still under way when the reader cancels must not end the source a second time.
  let cancelled = false;
  const end = () => {
    if (ended) return;
    ended = true;
    options.onEnd?.();
  };
  const next = options.next ?? (() => iterator.next());
  return new ReadableStream<StreamItem<T>>(
    {
      async pull(controller) {
        try {
          const result = pending ?? (await next());
          pending = undefined;
          if (cancelled) return;
          if (result.done) {
            end();
            controller.close();
            return;
          }
          options.onValue?.();
          controller.enqueue({ value: result.value });
        } catch (error) {
          if (cancelled) return;
          end();
          const outcome = options.failure
            ? options.failure(error)
            : options.abortSignal?.aborted
              ? { abort: options.abortSignal.reason as unknown }
              : { failure: error };
          if ('abort' in outcome) controller.error(outcome.abort);
          else {
            controller.enqueue(outcome);
            controller.close();
          }
        }
      },
      async cancel() {
        cancelled = true;
        if (options.cancel) return options.cancel();
        await iterator.return?.();
        end();
      },
    },
    { highWaterMark: 0 },
  );
}
