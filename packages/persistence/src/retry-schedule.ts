import { isRetryableCode, type GraphErrorCode } from './graph-error.js';

/** How savers and turn queues retry a failed write: one schedule for both. */
export interface RetrySchedule {
  /** First retry delay; doubles each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Automatic retries before waiting for "Retry now" (the work is kept either way). */
  maxAutomaticRetries?: number;
}

export const DEFAULT_RETRY_SCHEDULE: Required<RetrySchedule> = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxAutomaticRetries: 6,
};

/**
 * The delay before the next automatic retry after `failures` failed attempts, or undefined when
 * none should follow: the error answers the same way again (FORBIDDEN, INVALID_INPUT,
 * NOT_FOUND, NOT_IMPLEMENTED), or the automatic retries are used up.
 */
export function retryDelay(schedule: RetrySchedule, failures: number, code: GraphErrorCode): number | undefined {
  const { initialDelayMs, maxDelayMs, maxAutomaticRetries } = { ...DEFAULT_RETRY_SCHEDULE, ...schedule };
  if (!isRetryableCode(code) || failures > maxAutomaticRetries) return undefined;
  return Math.min(initialDelayMs * 2 ** (failures - 1), maxDelayMs);
}
