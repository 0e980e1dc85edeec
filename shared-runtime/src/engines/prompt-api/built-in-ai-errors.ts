import { AiError, AiErrorCode, isAbortError } from '../../interface/errors.js';

/** When the failure happened: creating a session (maybe downloading) or prompting it. */
export type BuiltInAiPhase = 'create' | 'prompt';

const nameOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';

/**
 * The browser's DOMExceptions as the runtime's errors, the original kept as `cause`. An abort
 * is returned as it is: it is an outcome, not an error.
 */
export function toBuiltInAiError(error: unknown, phase: BuiltInAiPhase): unknown {
  if (isAbortError(error) || AiError.isInstance(error)) return error;
  const cause = { cause: error };
  switch (nameOf(error)) {
    case 'QuotaExceededError':
      return new AiError(
        AiErrorCode.INPUT_TOO_LONG,
        'The text does not fit the context of Chrome’s built-in model: shorten it or start a new conversation.',
        cause,
      );
    case 'NotAllowedError':
      return new AiError(
        AiErrorCode.ENGINE_UNAVAILABLE,
        phase === 'create'
          ? 'Chrome did not allow its built-in model here: start its download with a click in the engine picker, ' +
              'or, in a cross-origin frame, the page must allow it (allow="language-model").'
          : 'Chrome did not allow its built-in model here; choose another engine.',
        cause,
      );
    case 'NotSupportedError':
      return new AiError(
        AiErrorCode.INVALID_REQUEST,
        'Chrome’s built-in model does not support this request (its language or its output format).',
        cause,
      );
    case 'NotReadableError':
      return new AiError(AiErrorCode.CONTENT_FILTERED, 'Chrome’s built-in model withheld its answer.', cause);
    case 'InvalidStateError':
      return new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'Chrome’s built-in model is not usable on this page now.', {
        ...cause,
        retryable: true,
      });
    case 'NetworkError':
      return new AiError(AiErrorCode.MODEL_LOAD_FAILED, 'Chrome could not download its built-in model.', {
        ...cause,
        retryable: true,
      });
    default:
      return new AiError(
        phase === 'create' ? AiErrorCode.MODEL_LOAD_FAILED : AiErrorCode.INTERNAL,
        `Chrome’s built-in model failed: ${error instanceof Error ? error.message : String(error)}`,
        cause,
      );
  }
}
