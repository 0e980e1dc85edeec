import { AiError, AiErrorCode } from '../../interface/errors.js';
import { ownValue } from '../../provider-utils/own-value.js';

/** When the error happened: loading decides between "could not load" and "failed while answering". */
export type WebLLMPhase = 'load' | 'generate';

/**
 * The name and message of a web-llm failure. In the page web-llm throws its own Error
 * subclasses (matched by `name`, since the classes live in a bundle we never import
 * statically); through a worker it rejects with `err.toString()`, i.e. `"<Name>: <message>"`.
 */
function describe(error: unknown): { name: string; message: string } {
  if (typeof error === 'string') {
    // A worker's uncaught exception arrives as "Uncaught <Name>: <message>".
    const match = /^(?:Uncaught )?([A-Za-z]*(?:Error|Exception)): ?([\s\S]*)$/.exec(error);
    return match ? { name: match[1] ?? '', message: match[2] ?? '' } : { name: '', message: error };
  }
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return {
      name: typeof name === 'string' ? name : '',
      message: typeof message === 'string' ? message : 'an unknown error',
    };
  }
  return { name: '', message: String(error) };
}

/** An Error for the text of an uncaught exception in web-llm's worker ("Uncaught <Name>: <message>"). */
export function workerError(text: string): Error {
  const { name, message } = describe(text);
  const error = new Error(message);
  if (name) error.name = name;
  return error;
}

const BY_NAME: Record<string, { code: AiErrorCode; text: string }> = {
  WebGPUNotAvailableError: {
    code: AiErrorCode.ENGINE_UNAVAILABLE,
    text: 'This browser has no usable WebGPU for the GPU model',
  },
  WebGPUNotFoundError: {
    code: AiErrorCode.ENGINE_UNAVAILABLE,
    text: 'This browser has no usable WebGPU for the GPU model',
  },
  ShaderF16SupportError: {
    code: AiErrorCode.ENGINE_UNAVAILABLE,
    text: 'This GPU lacks shader-f16, which the model needs',
  },
  FeatureSupportError: { code: AiErrorCode.ENGINE_UNAVAILABLE, text: 'This GPU lacks a feature the model needs' },
  DeviceLostError: { code: AiErrorCode.DEVICE_LOST, text: 'The GPU device was lost (often out of GPU memory)' },
  ContextWindowSizeExceededError: {
    code: AiErrorCode.INPUT_TOO_LONG,
    text: 'The conversation no longer fits the model’s context',
  },
  ModelNotFoundError: { code: AiErrorCode.MODEL_NOT_FOUND, text: 'The GPU model is not in the model list' },
  SpecifiedModelNotFoundError: {
    code: AiErrorCode.MODEL_NOT_FOUND,
    text: 'The GPU model is not loaded in this engine',
  },
  // MissingModelWasmError's name.
  MissingModelError: { code: AiErrorCode.MODEL_NOT_FOUND, text: 'The GPU model has no model library' },
  ModelNotLoadedError: { code: AiErrorCode.MODEL_LOAD_FAILED, text: 'The GPU model is not loaded' },
  WorkerEngineModelNotLoadedError: { code: AiErrorCode.MODEL_LOAD_FAILED, text: 'The GPU model is not loaded' },
  IntegrityError: { code: AiErrorCode.MODEL_LOAD_FAILED, text: 'A downloaded model file is damaged' },
  QuotaExceededError: { code: AiErrorCode.STORAGE_FULL, text: 'The browser’s storage is full' },
};

// How the cache backends and fetch report a failed download (Cache API `add`, IndexedDB, OPFS).
const FETCH_FAILED = new RegExp(
  [
    'Failed to fetch',
    'NetworkError',
    'Request failed',
    'Unable to fetch',
    'Network response was not ok',
    'Cannot fetch',
    'Failed to store',
    'Load failed',
  ].join('|'),
  'i',
);

/** Translates a web-llm failure into the runtime's AiError, keeping the original as `cause`. */
export function toWebLLMError(error: unknown, phase: WebLLMPhase): AiError {
  if (AiError.isInstance(error)) return error;
  const { name, message } = describe(error);
  const known = ownValue(BY_NAME, name);
  if (known) return new AiError(known.code, `${known.text}: ${message}`, { cause: error });
  if (/device (?:was |is |has been )?lost/i.test(message))
    return new AiError(AiErrorCode.DEVICE_LOST, `The GPU device was lost: ${message}`, { cause: error });
  if (FETCH_FAILED.test(message)) {
    if (/\b404\b/.test(message))
      return new AiError(AiErrorCode.MODEL_NOT_FOUND, `A model file was not found: ${message}`, { cause: error });
    // A failed download can succeed on a second try.
    return new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The GPU model could not be downloaded: ${message}`, {
      cause: error,
      retryable: true,
    });
  }
  if (phase === 'load')
    return new AiError(
      AiErrorCode.MODEL_LOAD_FAILED,
      `The GPU model could not be loaded: ${name ? `${name}: ` : ''}${message}`,
      { cause: error },
    );
  // web-llm validates the request's options before generating (ConfigValueError and its
  // subclasses, whose messages start "Make sure"; one of them is also named RangeError).
  if (name === 'ConfigValueError' || name === 'DependencyError' || /^Make sure /.test(message)) {
    return new AiError(AiErrorCode.INVALID_REQUEST, `The GPU model rejected the request: ${message}`, { cause: error });
  }
  return new AiError(AiErrorCode.INTERNAL, `The GPU model failed: ${name ? `${name}: ` : ''}${message}`, {
    cause: error,
  });
}
