// Downloads, checks and deletes the catalogue's models, for the model picker: one place that
// knows where each engine keeps its files (the Cache API for GGUFs, web-llm's own caches).
import { createWebLLMEngine, deleteWebLLMModel, isWebLLMModelCached } from './engines/webllm/webllm-engine.js';
import { MODEL_CACHE_NAME } from './engines/wasm/wasm-engine.js';
import type { LoadProgress } from './interface/index.js';
import { downloadCap, modelSupport, modelUrl, type CatalogueModel } from './model-catalogue.js';
import type { CapabilityProbe } from './probe-capabilities.js';
import { assetBaseFor, importImplementation } from './provider-utils/assets.js';
import { importModelDownload } from './provider-utils/import-model-download.js';
import { cachedModelFacts, deleteCachedModel, isModelCached, remoteModelBytes } from './provider-utils/model-cache.js';
import type { CacheStorageLike } from './provider-utils/model-integrity.js';

/**
 * What a model needs before it can run here. A cached model's `warning` says its file
 * changed since it was first downloaded from the same URL (the picker can show it).
 */
export type ModelState =
  /** `bytes`: the file's size, where known (its last download's record, or the file on disk). */
  | { kind: 'ready'; source: 'cache' | 'file'; bytes?: number; warning?: string }
  | { kind: 'download'; bytes: number }
  | { kind: 'unsupported'; reason: string };

/** How the manager reaches web-llm's cache (injected in tests; web-llm itself loads only when a GPU can run it). */
export interface WebLLMCache {
  isCached(modelId: string): Promise<boolean>;
  remove(modelId: string): Promise<void>;
  download(
    modelId: string,
    options: { abortSignal?: AbortSignal; onProgress?: (progress: LoadProgress) => void },
  ): Promise<void>;
}

export interface ModelManagerOptions {
  probe: CapabilityProbe;
  /** Cache API cache for GGUFs (the Wasm engine's). */
  cacheName?: string;
  fetch?: typeof fetch;
  webllm?: WebLLMCache;
  /** Milliseconds without a byte after which a download stops (default 30 s). */
  idleTimeoutMs?: number;
  /** Where caches live (default: the browser's `caches`; tests pass a fake). */
  caches?: CacheStorageLike;
  /** The origin's storage use and quota (default: `navigator.storage.estimate()`). */
  estimate?: () => Promise<{ usage: number; quota: number } | undefined>;
}

/** What a finished download found out about the file. */
export interface ModelDownload {
  /** SHA-256 of the downloaded file (GGUFs). */
  sha256?: string;
  /** Set when the file differs from the one first downloaded from the same URL. */
  warning?: string;
}

export interface ModelManager {
  state(model: CatalogueModel): Promise<ModelState>;
  /**
   * Downloads a model into the browser's cache, with progress; abortable. Streams to storage,
   * stops past the model's size cap or after a stall, and fails with STORAGE_FULL up front
   * when the browser says there is no room.
   */
  download(
    model: CatalogueModel,
    options?: { abortSignal?: AbortSignal; onProgress?: (progress: LoadProgress) => void },
  ): Promise<ModelDownload>;
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
      if (model.file) return { kind: 'ready', source: 'file', bytes: model.file.size };
      if (model.engine === 'webllm') {
        const cached = await webllm.isCached(model.id).catch(() => false);
        return cached ? { kind: 'ready', source: 'cache' } : { kind: 'download', bytes: model.downloadBytes };
      }
      const url = modelUrl(model);
      if (!url) return { kind: 'unsupported', reason: 'This model has no file to download.' };
      const cached = await isModelCached(url, cacheName, options.caches).catch(() => false);
      if (!cached) {
        // A model added by URL has no catalogue size: the server says how big the file is.
        const bytes = model.downloadBytes || (model.custom ? await remoteModelBytes(url, options.fetch) : 0);
        return { kind: 'download', bytes };
      }
      const facts = await cachedModelFacts(url, cacheName, options.caches).catch(() => ({}));
      return { kind: 'ready', source: 'cache', ...facts };
    },
    async download(model, downloadOptions = {}) {
      if (model.engine === 'webllm') {
        await webllm.download(model.id, downloadOptions);
        return {};
      }
      const url = modelUrl(model);
      if (!url) return {};
      // The download code is the runtime asset model-download.js in a main file.
      const assetBaseUrl = assetBaseFor(undefined);
      const { storeModel } = await importImplementation(
        () => importModelDownload(assetBaseUrl),
        'The model download',
        `${assetBaseUrl}model-download.js`,
        ['storeModel'],
      );
      const result = await storeModel({
        url,
        cacheName,
        maxBytes: downloadCap(model),
        ...(model.downloadBytes > 0 ? { expectedBytes: model.downloadBytes } : {}),
        ...(model.sha256 ? { sha256: model.sha256 } : {}),
        ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        ...(options.caches ? { caches: options.caches } : {}),
        ...(options.estimate ? { estimate: options.estimate } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(downloadOptions.abortSignal ? { abortSignal: downloadOptions.abortSignal } : {}),
        ...(downloadOptions.onProgress ? { onProgress: downloadOptions.onProgress } : {}),
      });
      return {
        ...(result.sha256 ? { sha256: result.sha256 } : {}),
        ...(result.integrityWarning ? { warning: result.integrityWarning } : {}),
      };
    },
    async remove(model) {
      if (model.engine === 'webllm') {
        await webllm.remove(model.id);
        return;
      }
      const url = modelUrl(model);
      if (url) await deleteCachedModel(url, cacheName, options.caches);
    },
    async storage() {
      const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } })
        .navigator?.storage;
      const estimate = await storage?.estimate?.().catch(() => undefined);
      return estimate?.usage !== undefined && estimate.quota !== undefined
        ? { usage: estimate.usage, quota: estimate.quota }
        : undefined;
    },
  };
}
