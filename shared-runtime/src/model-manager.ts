// Downloads, checks and deletes the catalogue's models, for the model picker: one place that
// knows where each engine keeps its files (the Cache API for GGUFs, web-llm's own caches).
import { createWebLLMEngine, deleteWebLLMModel, isWebLLMModelCached } from './engines/webllm/webllm-engine.js';
import { MODEL_CACHE_NAME } from './engines/wasm/wasm-engine.js';
import type { LoadProgress } from './interface/index.js';
import { modelSupport, modelUrl, type CatalogueModel } from './model-catalogue.js';
import type { CapabilityProbe } from './probe-capabilities.js';
import { deleteCachedModel, downloadModel, isModelCached } from './provider-utils/model-download.js';

/** What a model needs before it can run here. */
export type ModelState =
  | { kind: 'ready'; source: 'cache' | 'file' }
  | { kind: 'download'; bytes: number }
  | { kind: 'unsupported'; reason: string };

/** How the manager reaches web-llm's cache (injected in tests; web-llm itself loads only when a GPU can run it). */
export interface WebLLMCache {
  isCached(modelId: string): Promise<boolean>;
  remove(modelId: string): Promise<void>;
  download(modelId: string, options: { abortSignal?: AbortSignal; onProgress?: (progress: LoadProgress) => void }): Promise<void>;
}

export interface ModelManagerOptions {
  probe: CapabilityProbe;
  /** Cache API cache for GGUFs (the Wasm engine's). */
  cacheName?: string;
  fetch?: typeof fetch;
  webllm?: WebLLMCache;
}

export interface ModelManager {
  state(model: CatalogueModel): Promise<ModelState>;
  /** Downloads a model into the browser's cache, with progress; abortable. */
  download(model: CatalogueModel, options?: { abortSignal?: AbortSignal; onProgress?: (progress: LoadProgress) => void }): Promise<void>;
  /** Deletes a model's cached files. */
  remove(model: CatalogueModel): Promise<void>;
  /** The origin's storage use and quota, where the browser says. */
  storage(): Promise<{ usage: number; quota: number } | undefined>;
}

const defaultWebLLMCache: WebLLMCache = {
  isCached: (modelId) => isWebLLMModelCached(modelId),
  remove: (modelId) => deleteWebLLMModel(modelId),
  // web-llm downloads while it loads: load once, then free the GPU.
  download: async (modelId, options) => {
    const engine = createWebLLMEngine({ modelId });
    try {
      await engine.load(options);
    } finally {
      await engine.dispose();
    }
  },
};

export function createModelManager(options: ModelManagerOptions): ModelManager {
  const cacheName = options.cacheName ?? MODEL_CACHE_NAME;
  const webllm = options.webllm ?? defaultWebLLMCache;
  return {
    async state(model) {
      const support = modelSupport(model, options.probe);
      if (!support.supported) return { kind: 'unsupported', reason: support.reason };
      if (model.file) return { kind: 'ready', source: 'file' };
      if (model.engine === 'webllm') {
        const cached = await webllm.isCached(model.id).catch(() => false);
        return cached ? { kind: 'ready', source: 'cache' } : { kind: 'download', bytes: model.downloadBytes };
      }
      const url = modelUrl(model);
      if (!url) return { kind: 'unsupported', reason: 'This model has no file to download.' };
      const cached = await isModelCached(url, cacheName).catch(() => false);
      return cached ? { kind: 'ready', source: 'cache' } : { kind: 'download', bytes: model.downloadBytes };
    },
    async download(model, downloadOptions = {}) {
      if (model.engine === 'webllm') {
        await webllm.download(model.id, downloadOptions);
        return;
      }
      const url = modelUrl(model);
      if (!url) return;
      await downloadModel({
        url,
        cacheName,
        ...(model.sha256 ? { sha256: model.sha256 } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(downloadOptions.abortSignal ? { abortSignal: downloadOptions.abortSignal } : {}),
        ...(downloadOptions.onProgress ? { onProgress: downloadOptions.onProgress } : {}),
      });
    },
    async remove(model) {
      if (model.engine === 'webllm') {
        await webllm.remove(model.id);
        return;
      }
      const url = modelUrl(model);
      if (url) await deleteCachedModel(url, cacheName);
    },
    async storage() {
      const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } }).navigator?.storage;
      const estimate = await storage?.estimate?.().catch(() => undefined);
      return estimate?.usage !== undefined && estimate.quota !== undefined ? { usage: estimate.usage, quota: estimate.quota } : undefined;
    },
  };
}
