import {
  AiError,
  AiErrorCode,
  createOpenAICompatibleEngine,
  createServiceModuleEngine,
  elementServiceTransport,
  type ImageEngine,
  type ImageEngineId,
} from '@ai-blocks/runtime';

export { IMAGE_ENGINE_IDS, type ImageEngineId } from '@ai-blocks/runtime';

/** What an image model accepts: the options the block offers for it. */
export interface ImageModelOptions {
  counts: number[];
  sizes: string[];
  qualities?: string[];
  styles?: string[];
}

/** The OpenAI image models' rules (dall-e-3 makes one image at a time). Other models get the generic set. */
export const IMAGE_MODELS: Record<string, ImageModelOptions> = {
  'dall-e-3': {
    counts: [1],
    sizes: ['1024x1024', '1792x1024', '1024x1792'],
    qualities: ['standard', 'hd'],
    styles: ['vivid', 'natural'],
  },
  'dall-e-2': { counts: [1, 2, 3, 4], sizes: ['256x256', '512x512', '1024x1024'] },
  'gpt-image-1': {
    counts: [1, 2, 3, 4],
    sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'],
    qualities: ['low', 'medium', 'high', 'auto'],
  },
};

const GENERIC: ImageModelOptions = { counts: [1, 2, 3, 4], sizes: ['256x256', '512x512', '1024x1024'] };

export function optionsForModel(model: string): ImageModelOptions {
  // The model name comes from settings or the graph: only the table's own entries count.
  return Object.hasOwn(IMAGE_MODELS, model) ? (IMAGE_MODELS[model] ?? GENERIC) : GENERIC;
}

/** Engine settings from the host or the person (never stored in the graph). */
export interface AiImageSettings {
  openaiCompatible?: { baseURL: string; model: string; apiKey?: string };
  /** Model named in the host's service-module requests. */
  serviceModel?: string;
}

/** The model an engine choice will ask for (its options are the ones the block offers). */
export function imageModelName(engineId: ImageEngineId, settings: AiImageSettings): string {
  return engineId === 'openai-compatible'
    ? (settings.openaiCompatible?.model ?? '')
    : (settings.serviceModel ?? 'dall-e-3');
}

/** Creates the image engine for a choice, or explains why it cannot run. */
export function createImageEngine(
  engineId: ImageEngineId,
  element: HTMLElement,
  settings: AiImageSettings,
  hostOffersService: 'yes' | 'no' | 'unknown' = 'unknown',
): ImageEngine {
  if (engineId === 'service-module') {
    // Without the module nobody would answer: say so now instead of waiting for a timeout.
    if (hostOffersService === 'no')
      throw new AiError(
        AiErrorCode.ENGINE_UNAVAILABLE,
        'This page’s host offers no AI service. The host can set one up, or this block can be given an OpenAI-compatible image API in its settings.',
      );
    return createServiceModuleEngine({
      transport: elementServiceTransport(element),
      model: settings.serviceModel ?? 'dall-e-3',
      timeoutMs: 180_000,
    });
  }
  const config = settings.openaiCompatible;
  if (!config)
    throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'No image API is set up: the page’s host can configure one.');
  return createOpenAICompatibleEngine({
    baseURL: config.baseURL,
    model: config.model,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    timeouts: { connectMs: 180_000 },
    // The engine never repeats a generation that may have been billed (a timeout, a 5xx); it
    // retries only a 429 that names its wait. A person is waiting: a long server-requested
    // wait becomes a "rate limited" message instead.
    retry: { maxRetryAfterMs: 10_000 },
  });
}
