import type { LoadProgress } from '../interface/engine.js';
import { AiError, AiErrorCode } from '../interface/errors.js';

export interface DownloadOptions {
  url: string;
  /** Expected SHA-256 (hex); the bytes are checked when given. */
  sha256?: string;
  /** Cache API cache name; undefined disables the cache. */
  cacheName?: string;
  fetch?: typeof fetch;
  abortSignal?: AbortSignal;
  /** Download progress; `fraction` covers [0, span]. */
  onProgress?: (progress: LoadProgress) => void;
  /** The share of overall progress the download takes (the rest is loading). */
  span?: number;
}

export interface DownloadResult {
  blob: Blob;
  fromCache: boolean;
  /** Set when the file could not be cached (the model still loads). */
  cacheError?: AiError;
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function openCache(name: string | undefined): Promise<Cache | undefined> {
  if (!name || typeof caches === 'undefined') return undefined;
  try {
    return await caches.open(name);
  } catch {
    return undefined;
  }
}

/**
 * Fetches a model file with byte progress, from the Cache API when it is there (no network
 * at all), checking its SHA-256 when known. A missing file is MODEL_NOT_FOUND, a cut-off or
 * corrupt download MODEL_LOAD_FAILED; a full quota leaves the file uncached (`cacheError`
 * is STORAGE_FULL) but still returns it.
 */
export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const span = options.span ?? 1;
  const report = (loadedBytes: number, totalBytes: number | undefined, text: string) => {
    options.onProgress?.({ fraction: totalBytes ? Math.min(1, loadedBytes / totalBytes) * span : 0, loadedBytes, ...(totalBytes ? { totalBytes } : {}), text });
  };
  const cache = await openCache(options.cacheName);
  const cached = await cache?.match(options.url);
  if (cached) {
    const blob = await cached.blob();
    if (!options.sha256 || (await sha256Hex(await blob.arrayBuffer())) === options.sha256) {
      report(blob.size, blob.size, 'Model loaded from this browser’s cache');
      return { blob, fromCache: true };
    }
    // A corrupt cached copy is dropped and downloaded again.
    await cache?.delete(options.url);
  }
  options.abortSignal?.throwIfAborted();
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, options.abortSignal ? { signal: options.abortSignal } : {});
  } catch (error) {
    if (options.abortSignal?.aborted) throw options.abortSignal.reason;
    throw new AiError(AiErrorCode.NETWORK, `Could not download the model from ${options.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (response.status === 404 || response.status === 410) throw new AiError(AiErrorCode.MODEL_NOT_FOUND, `There is no model file at ${options.url}`, { statusCode: response.status });
  if (!response.ok || !response.body) throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `Downloading the model failed: HTTP ${response.status}`, { statusCode: response.status });
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader && !response.headers.get('content-encoding') ? Number(lengthHeader) : undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  report(0, total, 'Downloading the model');
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      report(received, total, 'Downloading the model');
    }
  } catch (error) {
    if (options.abortSignal?.aborted) throw options.abortSignal.reason;
    throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The model download was cut off after ${received} bytes`, { cause: error });
  }
  if (total !== undefined && received < total) {
    throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The model download was cut off: ${received} of ${total} bytes arrived`);
  }
  const blob = new Blob(chunks as BlobPart[], { type: 'application/octet-stream' });
  if (options.sha256) {
    const actual = await sha256Hex(await blob.arrayBuffer());
    if (actual !== options.sha256) throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The downloaded model is damaged (SHA-256 ${actual.slice(0, 12)}…, expected ${options.sha256.slice(0, 12)}…)`);
  }
  let cacheError: AiError | undefined;
  try {
    await cache?.put(options.url, new Response(blob, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) } }));
  } catch (error) {
    cacheError = isQuotaError(error)
      ? new AiError(AiErrorCode.STORAGE_FULL, 'The browser’s storage is full: the model works now but will be downloaded again next time', { cause: error })
      : new AiError(AiErrorCode.INTERNAL, 'The model could not be cached', { cause: error });
  }
  return { blob, fromCache: false, ...(cacheError ? { cacheError } : {}) };
}

/** Whether a model URL is in the cache. */
export async function isModelCached(url: string, cacheName: string): Promise<boolean> {
  const cache = await openCache(cacheName);
  return (await cache?.match(url)) !== undefined;
}

/** Removes a model from the cache. */
export async function deleteCachedModel(url: string, cacheName: string): Promise<boolean> {
  const cache = await openCache(cacheName);
  return (await cache?.delete(url)) ?? false;
}
