import {
  createAnthropicEngine,
  createOpenAICompatibleEngine,
  createServiceModuleEngine,
  createWasmEngine,
  elementServiceTransport,
  runtimeAssetUrl,
  type CapabilityProbe,
  type EngineId,
  type SelectionConfig,
  type TextEngine,
} from '@ai-blocks/runtime';

/** Engine settings a host or a person provides (never stored in the graph: keys live here). */
export interface AiTextSettings {
  /** GGUF for the CPU engine; defaults to the runtime assets' bundled test model. */
  wasmModelUrl?: string;
  wasmModelBytes?: number;
  openaiCompatible?: { baseURL: string; model: string; apiKey?: string };
  anthropic?: { apiKey: string; model: string };
  /** Model named in service-module requests. */
  serviceModel?: string;
}

/** Display names of the engines, for the picker. */
export const ENGINE_LABELS: Record<EngineId, string> = {
  'service-module': 'Page’s AI service',
  webllm: 'In browser — GPU (WebGPU)',
  wasm: 'In browser — CPU (free, private)',
  'openai-compatible': 'OpenAI-compatible API',
  anthropic: 'Anthropic',
};

/** The bundled model: the project's tiny test model, so the block works offline out of the box. */
export function defaultWasmModel(): { url: string; bytes: number } {
  const fromHost = (globalThis as { AI_BLOCKS_DEFAULT_WASM_MODEL?: unknown }).AI_BLOCKS_DEFAULT_WASM_MODEL;
  return { url: typeof fromHost === 'string' ? fromHost : runtimeAssetUrl('models/ai-blocks-tiny.gguf'), bytes: 437_344 };
}

/** What `selectEngine` needs to know about the configured engines. */
export function selectionConfig(settings: AiTextSettings, wasmCached: boolean): SelectionConfig {
  const wasm = settings.wasmModelUrl ? { url: settings.wasmModelUrl, bytes: settings.wasmModelBytes ?? 0 } : defaultWasmModel();
  return {
    wasm: { modelId: modelName(wasm.url), downloadBytes: wasmCached ? 0 : wasm.bytes, cached: wasmCached, consented: false },
    openaiCompatible: { configured: Boolean(settings.openaiCompatible?.baseURL) },
    anthropic: { configured: Boolean(settings.anthropic?.apiKey) },
  };
}

function modelName(url: string): string {
  return decodeURIComponent(url.split('/').pop() ?? 'model').replace(/\.gguf$/i, '');
}

/** Creates the engine for a choice. The factories are light; heavy code loads on first use. */
export function createEngine(engineId: EngineId, element: HTMLElement, settings: AiTextSettings): TextEngine {
  switch (engineId) {
    case 'service-module':
      return createServiceModuleEngine({ transport: elementServiceTransport(element), ...(settings.serviceModel ? { model: settings.serviceModel } : {}) });
    case 'wasm': {
      const url = settings.wasmModelUrl ?? defaultWasmModel().url;
      return createWasmEngine({ model: url, modelId: modelName(url) });
    }
    case 'openai-compatible': {
      const config = settings.openaiCompatible;
      if (!config) throw Object.assign(new Error('No OpenAI-compatible endpoint is set up.'), { code: 'ENGINE_UNAVAILABLE' });
      return createOpenAICompatibleEngine({ baseURL: config.baseURL, model: config.model, ...(config.apiKey ? { apiKey: config.apiKey } : {}) });
    }
    case 'anthropic': {
      const config = settings.anthropic;
      if (!config) throw Object.assign(new Error('No Anthropic API key is set.'), { code: 'ENGINE_UNAVAILABLE' });
      return createAnthropicEngine({ apiKey: config.apiKey, model: config.model });
    }
    case 'webllm':
      throw Object.assign(new Error('The GPU engine is not available in this build.'), { code: 'ENGINE_UNAVAILABLE' });
  }
}

/** A probe result for when nothing was probed yet (every capability unknown or absent). */
export const EMPTY_PROBE: CapabilityProbe = {
  webgpu: { adapter: false, isFallbackAdapter: false, shaderF16: false },
  wasm: { available: typeof WebAssembly === 'object', simd: false },
  crossOriginIsolated: false,
  hostServiceModule: 'unknown',
};
