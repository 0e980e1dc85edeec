import type { ImageCatalogueModel, ImageEngineId, ImageEngineSettings } from '@ai-blocks/runtime';

/** What an image model accepts: the options the block offers for it. */
export interface ImageModelOptions {
  counts: number[];
  sizes: string[];
  qualities?: string[];
  styles?: string[];
  /** Denoising steps an in-browser model can take (absent for cloud models). */
  steps?: number[];
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

/** Whether an engine runs an in-browser model (its own size, steps and seeds). */
export const isLocal = (engineId: ImageEngineId | undefined): engineId is 'wasm' | 'webllm' =>
  engineId === 'wasm' || engineId === 'webllm';

/** Engine settings from the host or the person (never stored in the graph). */
export type AiImageSettings = ImageEngineSettings;

/** The cloud model an engine choice will ask for (its options are the ones the block offers). */
export function imageModelName(engineId: ImageEngineId, settings: AiImageSettings): string {
  return engineId === 'openai-compatible'
    ? (settings.openaiCompatible?.model ?? '')
    : (settings.serviceModel ?? 'dall-e-3');
}

/**
 * The options for the engine that will run: an in-browser model's size (the one it makes), 1 to 4
 * images and its steps; a cloud model's sizes, counts and qualities.
 */
export function optionsForEngine(
  engineId: ImageEngineId | undefined,
  settings: AiImageSettings,
  localModel: ImageCatalogueModel | undefined,
): ImageModelOptions {
  if (isLocal(engineId)) {
    const maxSteps = Math.max(1, localModel?.maxSteps ?? 1);
    return {
      counts: [1, 2, 3, 4],
      sizes: [localModel?.size ?? '512x512'],
      steps: Array.from({ length: maxSteps }, (_, index) => index + 1),
    };
  }
  return optionsForModel(imageModelName(engineId ?? 'service-module', settings));
}

/** A model's label: an in-browser model's catalogue name, or a cloud model's own name. */
export function modelLabel(modelId: string | undefined, catalogue: readonly ImageCatalogueModel[]): string | undefined {
  if (!modelId) return undefined;
  return catalogue.find((model) => model.id === modelId)?.name ?? modelId;
}
