/** Block Protocol error codes, plus TIMEOUT for a graph call nobody answered in time. */
export type GraphErrorCode =
  | 'FORBIDDEN'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL_ERROR'
  | 'TIMEOUT'
  | 'READONLY'
  | 'NO_EMBEDDER';

const knownCodes = new Set<string>(['FORBIDDEN', 'INVALID_INPUT', 'NOT_FOUND', 'NOT_IMPLEMENTED', 'INTERNAL_ERROR']);

/** A failed graph call. `READONLY` means nothing was sent because the block is read-only. */
export class GraphError extends Error {
  readonly code: GraphErrorCode;
  /**
   * For a TIMEOUT: the request itself, which may still be answered (Block Protocol cannot
   * cancel it). Resolves to the late answer's data, or undefined if it failed; never rejects.
   */
  readonly late: Promise<unknown> | undefined;

  constructor(code: GraphErrorCode, message: string, options?: { cause?: unknown; late?: Promise<unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GraphError';
    this.code = code;
    this.late = options?.late;
  }

  /**
   * Whether trying again may help (a timeout or an embedder-side failure). FORBIDDEN,
   * INVALID_INPUT, NOT_FOUND and NOT_IMPLEMENTED answer the same way every time.
   */
  get retryable(): boolean {
    return isRetryableCode(this.code);
  }

  /** Builds the error from a Block Protocol `errors` array. */
  static fromMessageErrors(method: string, errors: readonly { code?: unknown; message?: unknown }[]): GraphError {
    const first = errors[0];
    const code =
      typeof first?.code === 'string' && knownCodes.has(first.code) ? (first.code as GraphErrorCode) : 'INTERNAL_ERROR';
    const message = typeof first?.message === 'string' && first.message !== '' ? first.message : `${method} failed`;
    return new GraphError(code, `${method}: ${message}`, { cause: errors });
  }
}

/** True for a GraphError from any bundle's copy of this package. */
export function isGraphError(value: unknown): value is GraphError {
  return value instanceof GraphError || (value instanceof Error && value.name === 'GraphError' && 'code' in value);
}

/** Whether an error with this code may pass on a retry (works for another bundle's GraphError too). */
export function isRetryableCode(code: GraphErrorCode): boolean {
  return code === 'TIMEOUT' || code === 'INTERNAL_ERROR';
}
