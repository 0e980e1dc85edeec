import type { CallWarning, ChatMessage, FinishReason, TextEngine, TextStreamPart, Usage } from './interface/engine.js';
import { AiError, AiErrorCode, isAbortError, type SerializedAiError } from './interface/errors.js';

export interface StreamTextOptions {
  engine: TextEngine;
  messages: ChatMessage[];
  system?: string;
  temperature?: number;
  maxOutputTokens?: number;
  /** Text that ends the answer; an engine that cannot honour it says so in `outcome.warnings`. */
  stopSequences?: string[];
  abortSignal?: AbortSignal;
}

/** How a run ended. Never a rejection: an abort or an error is an outcome too. */
export interface TextOutcome {
  status: 'complete' | 'aborted' | 'error';
  /** Everything produced, partial text included. */
  text: string;
  finishReason?: FinishReason;
  usage?: Usage;
  error?: SerializedAiError;
  /** What the engine said it ignored (an option it cannot honour); absent when nothing. */
  warnings?: CallWarning[];
  /** The model the server said answered, when it named one (it may differ from the one asked for). */
  responseModelId?: string;
}

export interface TextRun {
  /** Text deltas as they arrive (one consumer). */
  textStream: AsyncIterable<string>;
  /** Resolves once the run ends; never rejects. */
  outcome: Promise<TextOutcome>;
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

  let warnings: CallWarning[] | undefined;
  let responseModelId: string | undefined;
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
      const result = await options.engine.doStream({
        messages: options.messages,
        ...(options.system !== undefined ? { system: options.system } : {}),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        ...(options.stopSequences?.length ? { stopSequences: options.stopSequences } : {}),
        ...(signal ? { abortSignal: signal } : {}),
      });
      if (result.warnings?.length) warnings = result.warnings;
      responseModelId = result.response?.modelId;
      reader = result.stream.getReader();
      if (signal?.aborted) {
        await reader.cancel(signal.reason).catch(() => undefined);
        return aborted();
      }
      for (;;) {
        const { done: streamDone, value: part } = await reader.read();
        if (signal?.aborted) return aborted();
        if (streamDone) {
          // A stream that ends without a finish part ended early.
          return {
            status: 'error',
            text,
            error: new AiError(AiErrorCode.BAD_RESPONSE, 'The engine stopped without finishing').toJSON(),
          };
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
          return { status: 'error', text, error: AiError.from(part.error).toJSON() };
        }
      }
    } catch (error) {
      if (signal?.aborted || (isAbortError(error) && signal !== undefined)) return aborted();
      return { status: 'error', text, error: AiError.from(error).toJSON() };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      done = true;
      notify();
    }
  })().then((result) => ({
    ...result,
    ...(warnings ? { warnings } : {}),
    ...(responseModelId ? { responseModelId } : {}),
  }));

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
