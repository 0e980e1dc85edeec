// The text engines a block offers, built from settings a host or a person gives: shared by
// AI Text and AI Chat so both pick, label and create engines the same way.
import { createFallbackEngine } from './engines/fallback/fallback-engine.js';
import { lazyCloudEngine } from './cloud-engines/lazy-cloud-engine.js';
import { createPromptApiEngine } from './engines/prompt-api/prompt-api-engine.js';
import { elementServiceTransport } from './engines/service-module/service-block-handler.js';
import { createServiceModuleEngine } from './engines/service-module/service-module-engine.js';
import { createWasmEngine } from './engines/wasm/wasm-engine.js';
import { createWebLLMEngine } from './engines/webllm/webllm-engine.js';
import { AiError, AiErrorCode, type TextEngine } from './interface/index.js';
import {
  builtInCatalogue,
  downloadCap,
  fileName,
  modelUrl,
  TEST_MODEL_BYTES,
  type CatalogueModel,
} from './model-catalogue.js';
import { probeCapabilities, type CapabilityProbe } from './probe-capabilities.js';
import { runtimeAssetUrl } from './provider-utils/assets.js';
import { capForSize } from './provider-utils/download-limits.js';
import type { EngineId } from './engine-table.js';
import type { EngineSelection, SelectionConfig } from './select-engine.js';
import { sharedLocalEngine } from './shared-engine.js';

/** Engine settings a host or a person provides (never stored in the graph: keys live here). */
export interface BlockEngineSettings {
  /** The CPU engine's model (from the catalogue or added by the person); wins over `wasmModelUrl`. */
  wasmModel?: CatalogueModel;
  /** GGUF for the CPU engine; defaults to the runtime assets' bundled test model. */
  wasmModelUrl?: string;
  wasmModelBytes?: number;
  /** The GPU engine's model; defaults to the catalogue's first web-llm model this GPU supports. */
  webllmModel?: CatalogueModel;
  openaiCompatible?: { baseURL: string; model: string; apiKey?: string };
  anthropic?: { apiKey: string; model: string; baseURL?: string };
  /** Model named in service-module requests. */
  serviceModel?: string;
  /** Capabilities to use instead of probing (hosts that know better, and tests). */
  probe?: CapabilityProbe;
}

/** The bundled model: the project's tiny test model, so the block works offline out of the box. */
export function defaultWasmModel(): { url: string; bytes: number } {
  const fromHost = (globalThis as { AI_BLOCKS_DEFAULT_WASM_MODEL?: unknown }).AI_BLOCKS_DEFAULT_WASM_MODEL;
  return {
    url: typeof fromHost === 'string' ? fromHost : runtimeAssetUrl('models/ai-blocks-tiny.gguf'),
    bytes: TEST_MODEL_BYTES,
  };
}

/**
 * The CPU engine's model: what the settings name, as a URL or a file, with the most its
 * download may reach (`maxBytes`, absent when nothing is known about its size) and its
 * context window (the catalogue's; absent when unknown, so the engine's default applies).
 */
export function wasmModelSource(settings: BlockEngineSettings): {
  model: string | Blob;
  modelId: string;
  bytes: number;
  maxBytes?: number;
  contextWindow?: number;
} {
  const chosen = settings.wasmModel;
  if (chosen?.file) return { model: chosen.file, modelId: chosen.name, bytes: 0, contextWindow: chosen.contextWindow };
  const chosenUrl = chosen ? modelUrl(chosen) : undefined;
  if (chosen && chosenUrl)
    return {
      model: chosenUrl,
      modelId: chosen.testModel ? 'ai-blocks-tiny' : chosen.id,
      bytes: chosen.downloadBytes,
      maxBytes: downloadCap(chosen),
      contextWindow: chosen.contextWindow,
    };
  if (settings.wasmModelUrl) {
    const bytes = settings.wasmModelBytes ?? 0;
    return {
      model: settings.wasmModelUrl,
      modelId: modelNameFromUrl(settings.wasmModelUrl),
      bytes,
      ...(bytes > 0 ? { maxBytes: capForSize(bytes, 1) } : {}),
    };
  }
  const fallback = defaultWasmModel();
  // The bundled test model's size and context are known; a host's own default model's are not.
  const bundled =
    typeof (globalThis as { AI_BLOCKS_DEFAULT_WASM_MODEL?: unknown }).AI_BLOCKS_DEFAULT_WASM_MODEL !== 'string';
  const testModel = builtInCatalogue().find((model) => model.testModel);
  return {
    model: fallback.url,
    modelId: modelNameFromUrl(fallback.url),
    bytes: fallback.bytes,
    ...(bundled
      ? { maxBytes: capForSize(TEST_MODEL_BYTES), ...(testModel ? { contextWindow: testModel.contextWindow } : {}) }
      : {}),
  };
}

/** The GPU engine's model: the chosen one, else the catalogue's first that can run on this GPU. */
export function webllmModelFor(settings: BlockEngineSettings, probe: CapabilityProbe): CatalogueModel | undefined {
  if (settings.webllmModel) return settings.webllmModel;
  const models = builtInCatalogue().filter((model) => model.engine === 'webllm');
  return models.find((model) => !model.requiresF16 || probe.webgpu.shaderF16) ?? models[0];
}

/** Which local models are already in the browser's cache. */
export interface CachedModels {
  wasm: boolean;
  webllm: boolean;
}

/** What `selectEngine` needs to know about the configured engines. */
export function blockSelectionConfig(
  settings: BlockEngineSettings,
  state: CachedModels,
  probe: CapabilityProbe,
): SelectionConfig {
  const wasm = wasmModelSource(settings);
  const webllm = webllmModelFor(settings, probe);
  const config: SelectionConfig = {
    wasm: {
      modelId: wasm.modelId,
      downloadBytes: state.wasm ? 0 : wasm.bytes,
      cached: state.wasm || typeof wasm.model !== 'string',
      consented: false,
    },
    openaiCompatible: { configured: Boolean(settings.openaiCompatible?.baseURL) },
    anthropic: { configured: Boolean(settings.anthropic?.apiKey) },
  };
  if (webllm)
    config.webllm = {
      modelId: webllm.id,
      downloadBytes: state.webllm ? 0 : webllm.downloadBytes,
      cached: state.webllm,
      consented: false,
      vramBytes: webllm.memoryBytes,
    };
  return config;
}

/** A model's name from its URL: the file name, without query or fragment (which may carry a token). */
export function modelNameFromUrl(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://x/').pathname;
  } catch {
    pathname = url.split(/[?#]/)[0] ?? '';
  }
  return fileName(pathname).replace(/\.gguf$/i, '');
}

let probed: Promise<CapabilityProbe> | undefined;

/** The page's capabilities, probed once (WebGPU adapter, f16, Wasm, isolation). */
export function pageCapabilities(): Promise<CapabilityProbe> {
  probed ??= probeCapabilities();
  return probed;
}

export interface CreateBlockEngineOptions {
  /** Told when the GPU engine could not load and the CPU engine took over (the reason to show). */
  onFallback?: (reason: AiError) => void;
  probe?: CapabilityProbe;
}

/** Creates the engine for a choice. The factories are light; heavy code loads on first use. */
export function createBlockEngine(
  engineId: EngineId,
  element: HTMLElement,
  settings: BlockEngineSettings,
  options: CreateBlockEngineOptions = {},
): TextEngine {
  switch (engineId) {
    case 'service-module':
      return createServiceModuleEngine({
        transport: elementServiceTransport(element),
        ...(settings.serviceModel ? { model: settings.serviceModel } : {}),
      });
    case 'wasm': {
      const { model, modelId, bytes, maxBytes, contextWindow } = wasmModelSource(settings);
      const context = contextWindow !== undefined ? { contextSize: contextWindow } : {};
      const limits = {
        ...(maxBytes !== undefined ? { maxBytes } : {}),
        ...(bytes > 0 ? { expectedBytes: bytes } : {}),
      };
      // Blocks on one page that use the same model file share one loaded copy.
      return typeof model === 'string'
        ? sharedLocalEngine(`wasm:${model}`, () => createWasmEngine({ model, modelId, ...context, ...limits }))
        : createWasmEngine({ model, modelId, ...context });
    }
    case 'openai-compatible': {
      const config = settings.openaiCompatible;
      if (!config) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'No OpenAI-compatible endpoint is set up.');
      return lazyCloudEngine({ engineId, modelId: config.model }, (module) =>
        module.createOpenAICompatibleEngine({
          baseURL: config.baseURL,
          model: config.model,
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        }),
      );
    }
    case 'browser-ai':
      // Chrome runs its sessions side by side and keeps one copy of the model: nothing to share.
      return createPromptApiEngine();
    case 'anthropic': {
      const config = settings.anthropic;
      if (!config) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'No Anthropic API key is set.');
      return lazyCloudEngine({ engineId, modelId: config.model }, (module) =>
        module.createAnthropicEngine({
          apiKey: config.apiKey,
          model: config.model,
          ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        }),
      );
    }
    case 'webllm': {
      const model = webllmModelFor(settings, options.probe ?? settings.probe ?? EMPTY_PROBE);
      if (!model) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'No GPU model is available.');
      // A GPU model that cannot load falls back to the CPU model, and the block says why.
      return createFallbackEngine({
        // The catalogue's context window, so the block and the engine agree on it.
        primary: createWebLLMEngine({ modelId: model.id, chatOptions: { context_window_size: model.contextWindow } }),
        fallback: () => createBlockEngine('wasm', element, settings),
        ...(options.onFallback ? { onFallback: options.onFallback } : {}),
      });
    }
  }
}

/** Whether a picker may offer an engine: chosen, available, or waiting for a model download. */
export function canPickEngine(selection: EngineSelection | undefined, engineId: EngineId): boolean {
  if (!selection) return false;
  const reason = selection.reasons[engineId];
  return reason === undefined || reason.kind === 'available' || reason.kind === 'needs-download';
}

/** A probe result for when nothing was probed yet (every capability unknown or absent). */
export const EMPTY_PROBE: CapabilityProbe = {
  webgpu: { adapter: false, isFallbackAdapter: false, shaderF16: false },
  wasm: { available: typeof WebAssembly === 'object', simd: false },
  crossOriginIsolated: false,
  hostServiceModule: 'unknown',
};
