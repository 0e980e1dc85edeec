import type { GeneratedImage, ImageEngine } from './interface/engine.js';
import { AiError, isAbortError, type SerializedAiError } from './interface/errors.js';

export interface GenerateImageOptions {
  engine: ImageEngine;
  prompt: string;
  n?: number;
  size?: string;
  quality?: string;
  style?: string;
  abortSignal?: AbortSignal;
  onProgress?: (progress: { step: number; totalSteps: number }) => void;
  seed?: number;
  steps?: number;
}

export interface ImageOutcome {
  status: 'complete' | 'aborted' | 'error';
  images: GeneratedImage[];
  error?: SerializedAiError;
}

/** Generates images; resolves (never rejects) with the images or how it failed. */
export async function generateImage(options: GenerateImageOptions): Promise<ImageOutcome> {
  const signal = options.abortSignal;
  if (signal?.aborted) return { status: 'aborted', images: [] };
  try {
    const { images } = await options.engine.doGenerate({
      prompt: options.prompt,
      ...(options.n !== undefined ? { n: options.n } : {}),
      ...(options.size !== undefined ? { size: options.size } : {}),
      ...(options.quality !== undefined ? { quality: options.quality } : {}),
      ...(options.style !== undefined ? { style: options.style } : {}),
      ...(signal ? { abortSignal: signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.steps !== undefined ? { steps: options.steps } : {}),
    });
    if (signal?.aborted) return { status: 'aborted', images: [] };
    return { status: 'complete', images };
  } catch (error) {
    if (signal?.aborted || (isAbortError(error) && signal !== undefined)) return { status: 'aborted', images: [] };
    return { status: 'error', images: [], error: AiError.from(error).toJSON() };
  }
}
