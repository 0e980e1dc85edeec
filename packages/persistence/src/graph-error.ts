/** Block Protocol error codes, plus TIMEOUT for a graph call nobody answered in time. */
export type GraphErrorCode = 'FORBIDDEN' | 'INVALID_INPUT' | 'NOT_FOUND' | 'NOT_IMPLEMENTED' | 'INTERNAL_ERROR' | 'TIMEOUT' | 'READONLY' | 'NO_EMBEDDER';

const knownCodes = new Set<string>(['FORBIDDEN', 'INVALID_INPUT', 'NOT_FOUND', 'NOT_IMPLEMENTED', 'INTERNAL_ERROR']);

/** A failed graph call. `READONLY` means nothing was sent because the block is read-only. */
export class GraphError extends Error {
  readonly code: GraphErrorCode;

  constructor(code: GraphErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GraphError';
    this.code = code;
  }

  /** Whether trying again may help (a timeout or an embedder-side failure). */
  get retryable(): boolean {
    return this.code === 'TIMEOUT' || this.code === 'INTERNAL_ERROR';
  }

  /** Builds the error from a Block Protocol `errors` array. */
  static fromMessageErrors(method: string, errors: readonly { code?: unknown; message?: unknown }[]): GraphError {
    const first = errors[0];
    const code = typeof first?.code === 'string' && knownCodes.has(first.code) ? (first.code as GraphErrorCode) : 'INTERNAL_ERROR';
    const message = typeof first?.message === 'string' && first.message !== '' ? first.message : `${method} failed`;
    return new GraphError(code, `${method}: ${message}`, { cause: errors });
  }
}

/** True for a GraphError from any bundle's copy of this package. */
export function isGraphError(value: unknown): value is GraphError {
  return value instanceof GraphError || (value instanceof Error && value.name === 'GraphError' && 'code' in value);
}
