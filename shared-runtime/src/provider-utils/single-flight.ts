/**
 * Wraps a task so only one run is in flight: calls while it runs share its promise, and once it
 * settles (either way) the next call runs it again — e.g. a model load that a failed or aborted
 * attempt must not block.
 */
export function singleFlight<A extends unknown[], T>(task: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let running: Promise<T> | undefined;
  return (...args) =>
    (running ??= task(...args).finally(() => {
      running = undefined;
    }));
}
