import type { ChatMessage, FinishReason, TextEngine, TextStreamPart, Usage } from './interface/engine.js';
import { AiError, AiErrorCode, isAbortError } from './interface/errors.js';

export interface StreamTextOptions {
  engine: TextEngine;
  messages: ChatMessage[];
  system?: string;
  temperature?: number;
  maxOutputTokens?: number;
  abortSignal?: AbortSignal;
}

/** How a run ended. Never a rejection: an abort or an error is an outcome too. */
export interface TextOutcome {
  status: 'complete' | 'aborted' | 'error';
  /** Everything produced, partial text included. */
  text: string;
  finishReason?: FinishReason;
  usage?: Usage;
  error?: { code: AiErrorCode; message: string; retryable: boolean };
}

export interface TextRun {
  /** Text deltas as they arrive (one consumer). */
  textStream: AsyncIterable<string>;
  /** Resolves once the run ends; never rejects. */
  outcome: Promise<TextOutcome>;
}

/** Any thrown value as the runtime's error (vendor errors were translated by the engine). */
export function toAiError(error: unknown): AiError {
  if (AiError.isInstance(error)) return error;
  return new AiError(AiErrorCode.INTERNAL, error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * Streams a completion from any engine. The run starts at once; `textStream` yields deltas
 * and `outcome` says how it ended, with the partial text on abort or error. Aborting at any
 * moment (before the request, while waiting, mid-stream) ends it as `aborted` and cancels the
 * engine's stream, which releases the connection.
 */
export function streamText(options: StreamTextOptions): TextRun {
  const deltas: string[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const outcome = (async (): Promise<TextOutcome> => {
    let text = '';
    const signal = options.abortSignal;
    const aborted = (): TextOutcome => ({ status: 'aborted', text });
    let reader: ReadableStreamDefaultReader<TextStreamPart> | undefined;
    const onAbort = () => {
      void reader?.cancel(signal?.reason).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) return aborted();
      const stream = await options.engine.doStream({
        messages: options.messages,
        ...(options.system !== undefined ? { system: options.system } : {}),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        ...(signal ? { abortSignal: signal } : {}),
      });
      reader = stream.getReader();
      if (signal?.aborted) {
        await reader.cancel(signal.reason).catch(() => undefined);
        return aborted();
      }
      for (;;) {
        const { done: streamDone, value: part } = await reader.read();
        if (signal?.aborted) return aborted();
        if (streamDone) {
          // A stream that ends without a finish part ended early.
          return { status: 'error', text, error: new AiError(AiErrorCode.BAD_RESPONSE, 'The engine stopped without finishing').toJSON() };
        }
        if (part.type === 'text-delta') {
          text += part.delta;
          deltas.push(part.delta);
          notify();
        } else if (part.type === 'finish') {
          if (part.finishReason === 'abort') return aborted();
          const result: TextOutcome = { status: 'complete', text, finishReason: part.finishReason };
          if (part.usage) result.usage = part.usage;
          return result;
        } else {
          if (isAbortError(part.error) && signal?.aborted) return aborted();
          return { status: 'error', text, error: toAiError(part.error).toJSON() };
        }
      }
    } catch (error) {
      if (signal?.aborted || (isAbortError(error) && signal !== undefined)) return aborted();
      return { status: 'error', text, error: toAiError(error).toJSON() };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      done = true;
      notify();
    }
  })();

  const textStream: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const delta = deltas.shift();
        if (delta !== undefined) {
          yield delta;
          continue;
        }
        if (done) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
  return { textStream, outcome };
}
