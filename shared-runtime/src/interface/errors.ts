/**
 * The one error model of AI Blocks: a small closed set of codes a user can act on.
 * Vendor errors are translated at the engine boundary and kept as `cause`.
 * Cancellation is not an error: an aborted run is an outcome (`status: 'aborted'`).
 */
export const AiErrorCode = {
  /** The API key or credentials were rejected (401/403). Action: set a key in the host. */
  AUTHENTICATION: 'AUTHENTICATION',
  /** Too many requests (429 without quota exhaustion). Action: wait and retry. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The account has no quota or credit left. Action: check billing, or switch engine. */
  OUT_OF_QUOTA: 'OUT_OF_QUOTA',
  /** The prompt or conversation does not fit the model's context window. Action: shorten it. */
  INPUT_TOO_LONG: 'INPUT_TOO_LONG',
  /** The provider refused the input or output under its content policy. Action: rephrase. */
  CONTENT_FILTERED: 'CONTENT_FILTERED',
  /** The request or its options were rejected (400, unsupported size, …). */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** The connection failed or dropped. Action: check the network and retry. */
  NETWORK: 'NETWORK',
  /** No answer in time (connect, first token, or an idle stream). Action: retry. */
  TIMEOUT: 'TIMEOUT',
  /** The server answered something that does not follow its API. */
  BAD_RESPONSE: 'BAD_RESPONSE',
  /** The provider failed on its side (5xx). Action: retry later. */
  SERVER_ERROR: 'SERVER_ERROR',
  /** This engine cannot run here (no WebGPU, no key, host lacks the service module, …). Action: switch engine. */
  ENGINE_UNAVAILABLE: 'ENGINE_UNAVAILABLE',
  /** The model id or file does not exist. */
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  /** The model could not be downloaded or loaded (truncated file, integrity mismatch, …). */
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  /** The browser's storage quota is full. Action: free space or delete cached models. */
  STORAGE_FULL: 'STORAGE_FULL',
  /** The GPU device was lost; the engine can be reloaded. */
  DEVICE_LOST: 'DEVICE_LOST',
  /** A bug or an unexpected condition. */
  INTERNAL: 'INTERNAL',
} as const;

export type AiErrorCode = (typeof AiErrorCode)[keyof typeof AiErrorCode];

const marker = Symbol.for('ai-blocks.error');

export interface AiErrorOptions {
  /** Whether trying the same call again may succeed. Defaults by code. */
  retryable?: boolean;
  /** The vendor or platform error this one translates. */
  cause?: unknown;
  /** HTTP status, where there was one. */
  statusCode?: number;
  /** Milliseconds the server asked us to wait before retrying. */
  retryAfterMs?: number;
}

const retryableByDefault: ReadonlySet<AiErrorCode> = new Set([
  AiErrorCode.RATE_LIMITED,
  AiErrorCode.NETWORK,
  AiErrorCode.TIMEOUT,
  AiErrorCode.SERVER_ERROR,
  AiErrorCode.DEVICE_LOST,
]);

/** The error every engine and runtime function reports. */
export class AiError extends Error {
  readonly code: AiErrorCode;
  readonly retryable: boolean;
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;
  // Blocks bundle their own copy of the runtime, so `instanceof` can fail across bundles.
  private readonly [marker] = true;

  constructor(code: AiErrorCode, message: string, options: AiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AiError';
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for an AiError from any copy of the runtime. */
  static isInstance(value: unknown): value is AiError {
    return typeof value === 'object' && value !== null && marker in value;
  }

  /**
   * Any thrown value as the runtime's error: an AiError (from any copy of the runtime) as it
   * is; an object with a known `code` (e.g. a block's own "engine unavailable") with that code;
   * anything else as INTERNAL with its message. Engines translate vendor errors before this.
   */
  static from(error: unknown): AiError {
    if (AiError.isInstance(error)) return error;
    if (
      typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      typeof error.code === 'string' &&
      Object.hasOwn(AiErrorCode, error.code)
    ) {
      const retryable = 'retryable' in error && typeof error.retryable === 'boolean' ? error.retryable : false;
      const message = 'message' in error && typeof error.message === 'string' ? error.message : error.code;
      return new AiError(error.code as AiErrorCode, message, { cause: error, retryable });
    }
    return new AiError(AiErrorCode.INTERNAL, error instanceof Error ? error.message : String(error), { cause: error });
  }

  /** The plain shape that outcomes carry (no cause, so no vendor payload or key leaks). */
  toJSON(): SerializedAiError {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** An error as outcomes carry it and blocks store or show it: plain JSON, no cause. */
export interface SerializedAiError {
  code: AiErrorCode;
  message: string;
  retryable: boolean;
  /** How long the service asked to wait before the next request (a rate limit's Retry-After). */
  retryAfterMs?: number;
}

/** True when `error` is an abort (DOMException AbortError or TimeoutError from a signal we own). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}
