// The image engines AI Image offers, as block-engines.ts does for text: the page's service, the
// in-browser image engine on the GPU (WebGPU) or the CPU (WebAssembly), and an OpenAI-compatible
// API; what `selectEngine` needs to know about them; and the image models' manager (state,
// download with progress and cancel, delete) for the shared model picker.
import { elementServiceTransport } from './engines/service-module/service-block-handler.js';
import { createServiceModuleEngine } from './engines/service-module/service-module-engine.js';
import { createOpenAICompatibleEngine } from './engines/openai-compatible/openai-compatible-engine.js';
import { parseDiffusionManifest, PART_NAMES, type DiffusionManifest } from './engines/onnx-image/manifest.js';
import { IMAGE_MODEL_CACHE_NAME } from './engines/onnx-image/onnx-image-engine.js';
import { createLazyOnnxImageEngine } from './engines/onnx-image/lazy-onnx-image-engine.js';
import { IMAGE_ENGINE_IDS, type ImageEngineId } from './engine-table.js';
import { imageModelSource, imageModelSupport, type ImageCatalogueModel } from './image-catalogue.js';
import { AiError, AiErrorCode, type ImageEngine, type LoadProgress } from './interface/index.js';
import type { ModelState } from './model-manager.js';
import type { CapabilityProbe } from './probe-capabilities.js';
import { assetBaseFor, importImplementation } from './provider-utils/assets.js';
import { capForSize } from './provider-utils/download-limits.js';
import { importModelDownload } from './provider-utils/import-model-download.js';
import { deleteCachedModel, isModelCached } from './provider-utils/model-cache.js';
import type { SelectionConfig } from './select-engine.js';

/** Engine settings a host or a person gives AI Image (never stored in the graph: keys live here). */
export interface ImageEngineSettings {
  openaiCompatible?: { baseURL: string; model: string; apiKey?: string };
  /** Model named in the host's service-module requests. */
  serviceModel?: string;
  /** Capabilities to use instead of probing (hosts that know better, and tests). */
  probe?: CapabilityProbe;
}

/** What `selectEngine` needs to know for AI Image, with `model` the chosen in-browser image model. */
export function imageSelectionConfig(
  settings: ImageEngineSettings,
  model: ImageCatalogueModel,
  cached: boolean,
  probe: CapabilityProbe,
): SelectionConfig {
  const local = (provider: 'wasm' | 'webgpu') => {
    const support = imageModelSupport(model, probe, provider);
    return {
      modelId: model.id,
      downloadBytes: cached ? 0 : model.downloadBytes,
      cached,
      consented: false,
      requiresF16: model.requiresShaderF16,
      vramBytes: model.memoryBytes,
      ...(support.supported ? {} : { unsupportedReason: `${model.name}: ${support.reason}` }),
    };
  };
  return {
    engines: IMAGE_ENGINE_IDS,
    wasm: local('wasm'),
    webllm: local('webgpu'),
    openaiCompatible: { configured: Boolean(settings.openaiCompatible?.baseURL) },
  };
}

/**
 * The image engine for a choice. The in-browser engines (`wasm`, `webllm` in the engine table:
 * CPU and GPU) run `model` with onnxruntime-web, whose code loads from the runtime assets on
 * first use. Throws ENGINE_UNAVAILABLE, in words a person can act on, when nothing is set up.
 */
export function createImageBlockEngine(
  engineId: ImageEngineId,
  element: HTMLElement,
  settings: ImageEngineSettings,
  model?: ImageCatalogueModel,
): ImageEngine {
  switch (engineId) {
    case 'service-module':
      return createServiceModuleEngine({
        transport: elementServiceTransport(element),
        model: settings.serviceModel ?? 'dall-e-3',
        timeoutMs: 180_000,
      });
    case 'wasm':
    case 'webllm': {
      const source = model && imageModelSource(model);
      if (!model || !source)
        throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, model?.unavailableReason ?? 'No image model is chosen.');
      return createLazyOnnxImageEngine({
        engineId,
        model: source,
        modelId: model.id,
        executionProvider: engineId === 'wasm' ? 'wasm' : 'webgpu',
      });
    }
    case 'openai-compatible': {
      const config = settings.openaiCompatible;
      const notSetUp = 'No image API is set up: the page’s host can configure one.';
      if (!config) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, notSetUp);
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
  }
}

/** One file of an image model: where it is and about how big. */
interface ModelFile {
  url: string;
  bytes?: number;
  sha256?: string;
}

/** The model manager's operations for image models (the text one's shape). */
export interface ImageModelManager {
  state(model: ImageCatalogueModel): Promise<ModelState>;
  download(
    model: ImageCatalogueModel,
    options?: { abortSignal?: AbortSignal; onProgress?: (progress: LoadProgress) => void },
  ): Promise<void>;
  remove(model: ImageCatalogueModel): Promise<void>;
}

/**
 * Checks, downloads and deletes image models' files in the image engine's cache, so the picker
 * shows what is cached and a download before the first run is the one the engine then reads.
 * Support is checked first: a model that cannot run here is refused with the reason, and
 * nothing of it is fetched (not even its manifest).
 */
export function createImageModelManager(options: { probe: CapabilityProbe; fetch?: typeof fetch }): ImageModelManager {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL) => fetch(input));
  const manifests = new Map<string, Promise<{ manifest: DiffusionManifest; baseUrl: string }>>();

  async function manifestOf(model: ImageCatalogueModel): Promise<{ manifest: DiffusionManifest; baseUrl: string }> {
    const source = imageModelSource(model);
    if (!source) throw new AiError(AiErrorCode.MODEL_NOT_FOUND, model.unavailableReason ?? 'No files.');
    if (typeof source !== 'string') return { manifest: source.manifest, baseUrl: source.baseUrl };
    let pending = manifests.get(source);
    if (!pending) {
      pending = (async () => {
        const response = await doFetch(source);
        if (!response.ok) throw new AiError(AiErrorCode.MODEL_NOT_FOUND, `No image model manifest at ${source}`);
        const parsed = parseDiffusionManifest(await response.json());
        if (!parsed.ok) throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `Not a valid manifest: ${parsed.problems}`);
        return { manifest: parsed.manifest, baseUrl: source };
      })();
      pending.catch(() => manifests.delete(source));
      manifests.set(source, pending);
    }
    return pending;
  }

  async function filesOf(model: ImageCatalogueModel): Promise<ModelFile[]> {
    const { manifest, baseUrl } = await manifestOf(model);
    const url = (file: string) => new URL(file, baseUrl).href;
    return [
      { url: url(manifest.tokenizer.vocab) },
      { url: url(manifest.tokenizer.merges) },
      ...PART_NAMES.map((name) => {
        const part = manifest[name];
        return { url: url(part.file), bytes: part.bytes, ...(part.sha256 ? { sha256: part.sha256 } : {}) };
      }),
    ];
  }

  return {
    async state(model) {
      const support = imageModelSupport(model, options.probe);
      if (!support.supported) return { kind: 'unsupported', reason: support.reason };
      const files = await filesOf(model);
      const cached = await Promise.all(files.map((file) => isModelCached(file.url, IMAGE_MODEL_CACHE_NAME)));
      return cached.every(Boolean)
        ? { kind: 'ready', source: 'cache' }
        : { kind: 'download', bytes: model.downloadBytes };
    },
    async download(model, downloadOptions = {}) {
      const support = imageModelSupport(model, options.probe);
      if (!support.supported) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, support.reason);
      const files = await filesOf(model);
      const assetBaseUrl = assetBaseFor(undefined);
      // Stored only, no Blob handed back: a deleted model's storage then stops counting at once.
      const { storeModel } = await importImplementation(
        () => importModelDownload(assetBaseUrl),
        'The model download',
        `${assetBaseUrl}model-download.js`,
        ['storeModel'],
      );
      const total = files.reduce((sum, file) => sum + (file.bytes ?? 0), 0) || 1;
      let done = 0;
      for (const file of files) {
        const start = done;
        await storeModel({
          url: file.url,
          cacheName: IMAGE_MODEL_CACHE_NAME,
          ...(file.bytes ? { expectedBytes: file.bytes, maxBytes: capForSize(file.bytes, 0.5) } : {}),
          ...(file.sha256 ? { sha256: file.sha256 } : {}),
          ...(downloadOptions.abortSignal ? { abortSignal: downloadOptions.abortSignal } : {}),
          onProgress: (update) => {
            downloadOptions.onProgress?.({
              ...update,
              fraction: Math.min(1, (start + update.fraction * (file.bytes ?? 0)) / total),
            });
          },
        });
        done += file.bytes ?? 0;
      }
    },
    async remove(model) {
      const files = await filesOf(model).catch(() => []);
      await Promise.all(files.map((file) => deleteCachedModel(file.url, IMAGE_MODEL_CACHE_NAME)));
    },
  };
}
