import type { LoadProgress } from '../interface/engine.js';
import { AiError, AiErrorCode } from '../interface/errors.js';
import { formatBytes } from './bytes.js';
import { DEFAULT_DOWNLOAD_IDLE_MS, DEFAULT_MAX_DOWNLOAD_BYTES } from './download-limits.js';
import { browserCaches, openCache } from './model-cache.js';
import {
  integrityCacheName,
  integrityWarning,
  noteDownloadHash,
  readIntegrityRecord,
  type CacheStorageLike,
} from './model-integrity.js';
import { Sha256, sha256OfStream } from './sha256.js';

export type { CacheLike, CacheStorageLike } from './model-integrity.js';
export {
  capForSize,
  DEFAULT_DOWNLOAD_IDLE_MS,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  DOWNLOAD_SIZE_MARGIN,
} from './download-limits.js';
export { deleteCachedModel, isModelCached, modelIntegrityWarning } from './model-cache.js';

export interface DownloadOptions {
  url: string;
  /** Expected SHA-256 (hex): the bytes are checked while they stream, and refused on mismatch. */
  sha256?: string;
  /** The most bytes the file may have; a larger declared size is refused, a longer body cut off. Defaults to 4 GiB. */
  maxBytes?: number;
  /**
   * About how big the file is (the catalogue's size): for the storage check and progress when the server does not say.
   */
  expectedBytes?: number;
  /** Milliseconds without a byte (or without response headers) after which the download stops; default 30 s. */
  idleTimeoutMs?: number;
  /** Cache API cache name; undefined disables the cache. */
  cacheName?: string;
  /** Where caches live (default: the browser's `caches`; tests pass a fake). */
  caches?: CacheStorageLike;
  /** The file must end up cached (the model manager's downloads): a full storage fails before downloading. */
  requireCache?: boolean;
  /** The origin's storage use and quota (default: `navigator.storage.estimate()`). */
  estimate?: () => Promise<{ usage: number; quota: number } | undefined>;
  fetch?: typeof fetch;
  abortSignal?: AbortSignal;
  /** Download progress; `fraction` covers [0, span]. */
  onProgress?: (progress: LoadProgress) => void;
  /** The share of overall progress the download takes (the rest is loading). */
  span?: number;
}

export interface DownloadResult {
  /** The model: read from the cache (disk-backed) when it was cached, never a copy of the whole file in JS memory. */
  blob: Blob;
  fromCache: boolean;
  /** Set when the file could not be cached (the model still loads). */
  cacheError?: AiError;
  /** SHA-256 of what was downloaded now (absent for a file that came from the cache). */
  sha256?: string;
  /** Set when this file differs from what was first downloaded from the same URL. */
  integrityWarning?: string;
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

async function browserEstimate(): Promise<{ usage: number; quota: number } | undefined> {
  const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } }).navigator
    ?.storage;
  const estimate = await storage?.estimate?.().catch(() => undefined);
  return estimate?.usage !== undefined && estimate.quota !== undefined
    ? { usage: estimate.usage, quota: estimate.quota }
    : undefined;
}

// Without a cache the bytes must live somewhere: Blobs of a few MB each (the browser keeps
// Blob data outside the JS heap), so JS never holds more than one batch at a time.
const BATCH_BYTES = 8 * 1024 * 1024;
async function collectBlob(stream: ReadableStream<Uint8Array>): Promise<Blob> {
  const parts: Blob[] = [];
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    batch.push(value);
    batchBytes += value.length;
    if (batchBytes >= BATCH_BYTES) {
      parts.push(new Blob(batch as BlobPart[]));
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length) parts.push(new Blob(batch as BlobPart[]));
  return new Blob(parts, { type: 'application/octet-stream' });
}

/**
 * Fetches a model file with byte progress, from the Cache API when it is there (no network
 * at all). A download streams straight into the cache through a meter that counts, hashes
 * and caps it: the whole file is never held in JS memory. It stops with MODEL_LOAD_FAILED
 * when the server sends more than `maxBytes` or than it declared, when no byte arrives for
 * `idleTimeoutMs`, or when the SHA-256 differs from `sha256`; a stopped download caches
 * nothing. A missing file is MODEL_NOT_FOUND. Full storage: STORAGE_FULL before downloading
 * when `requireCache`, else the file is returned uncached with `cacheError`. The first
 * download's SHA-256 is recorded; a later one that differs sets `integrityWarning`.
 */
export function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  return fetchModel(options, false) as Promise<DownloadResult>;
}

/** What `storeModel` reports: the download's facts, without the file. */
export type StoredModel = Omit<DownloadResult, 'blob'>;

/**
 * Downloads a model into the cache only (the model picker's Download), as `downloadModel` does,
 * but hands back no Blob of it: Chromium keeps counting a deleted file's storage while any Blob
 * of it is alive, so a model deleted after a picker download would seem to use its space until
 * the page's garbage collector ran.
 */
export function storeModel(options: DownloadOptions): Promise<StoredModel> {
  return fetchModel({ ...options, requireCache: true }, true);
}

async function fetchModel(options: DownloadOptions, storeOnly: boolean): Promise<DownloadResult | StoredModel> {
  const span = options.span ?? 1;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_DOWNLOAD_IDLE_MS;
  const report = (loadedBytes: number, totalBytes: number | undefined, text: string) => {
    options.onProgress?.({
      fraction: totalBytes ? Math.min(1, loadedBytes / totalBytes) * span : 0,
      loadedBytes,
      ...(totalBytes ? { totalBytes } : {}),
      text,
    });
  };
  const storage = options.caches ?? browserCaches();
  const cache = await openCache(storage, options.cacheName);
  const records = options.cacheName ? await openCache(storage, integrityCacheName(options.cacheName)) : undefined;
  // Already stored: nothing to do (keys() reads no file).
  if (storeOnly && cache?.keys && (await cache.keys(options.url)).length > 0) return { fromCache: true };
  const cached = await cache?.match(options.url);
  if (cached) {
    const blob = await cached.blob();
    const record = await readIntegrityRecord(records, options.url);
    const expected = options.sha256?.toLowerCase();
    // A copy whose hash was checked as it was stored is trusted; any other is hashed piece by
    // piece from the (disk-backed) cached Blob, once.
    let intact = !expected || (record !== undefined && !record.differs && record.sha256 === expected);
    if (!intact) {
      const actual = await sha256OfStream(blob.stream());
      intact = actual === expected;
      if (intact) await noteDownloadHash(records, options.url, actual, blob.size);
    }
    if (intact) {
      report(blob.size, blob.size, 'Model loaded from this browser’s cache');
      const warning = integrityWarning(record);
      return { blob, fromCache: true, ...(warning ? { integrityWarning: warning } : {}) };
    }
    // A corrupt cached copy is dropped and downloaded again.
    await cache?.delete(options.url);
  }
  options.abortSignal?.throwIfAborted();

  // One controller for the request: the caller's abort and the stall timer both end it.
  const request = new AbortController();
  let failure: AiError | undefined;
  const fail = (error: AiError) => {
    failure ??= error;
    request.abort(failure);
  };
  const onAbort = () => {
    request.abort(options.abortSignal?.reason);
  };
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  let received = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      fail(
        new AiError(
          AiErrorCode.MODEL_LOAD_FAILED,
          `The model download stalled: nothing arrived for ${Math.round(idleMs / 1000)} s ` +
            `(after ${formatBytes(received)}). Check the connection and try again.`,
          { retryable: true },
        ),
      );
    }, idleMs);
  };
  const abortedOr = (error: AiError): unknown =>
    options.abortSignal?.aborted ? options.abortSignal.reason : (failure ?? error);

  try {
    armIdle();
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(options.url, { signal: request.signal });
    } catch (error) {
      // A model that cannot be fetched is a model that did not load (a person sees "could not
      // reach the AI service" for an engine that has no service): worth trying again.
      throw abortedOr(
        new AiError(
          AiErrorCode.MODEL_LOAD_FAILED,
          `Could not download the model from ${options.url}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, retryable: true },
        ),
      );
    }
    if (response.status === 404 || response.status === 410)
      throw new AiError(AiErrorCode.MODEL_NOT_FOUND, `There is no model file at ${options.url}`, {
        statusCode: response.status,
      });
    if (!response.ok || !response.body)
      throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `Downloading the model failed: HTTP ${response.status}`, {
        statusCode: response.status,
      });
    const lengthHeader = response.headers.get('content-length');
    const declared =
      lengthHeader && !response.headers.get('content-encoding') && Number.isFinite(Number(lengthHeader))
        ? Number(lengthHeader)
        : undefined;
    if (declared !== undefined && declared > maxBytes) {
      void response.body.cancel().catch(() => undefined);
      throw new AiError(
        AiErrorCode.MODEL_LOAD_FAILED,
        `The server offers a ${formatBytes(declared)} file, ` +
          `more than the ${formatBytes(maxBytes)} this model may be: nothing was downloaded.`,
      );
    }

    // Enough room? Asked before the first byte, not after the whole download.
    let target = cache;
    let cacheError: AiError | undefined;
    const need = declared ?? options.expectedBytes;
    if (target && need !== undefined) {
      const estimate = await (options.estimate ?? browserEstimate)().catch(() => undefined);
      if (estimate && estimate.quota - estimate.usage < need) {
        const free = formatBytes(Math.max(0, estimate.quota - estimate.usage));
        const message = `The browser’s storage is full: the model needs ${formatBytes(need)}, ${free} is free`;
        if (options.requireCache) {
          void response.body.cancel().catch(() => undefined);
          throw new AiError(
            AiErrorCode.STORAGE_FULL,
            `${message}. Delete cached models or free space, then try again.`,
          );
        }
        target = undefined;
        cacheError = new AiError(
          AiErrorCode.STORAGE_FULL,
          `${message}: the model works now but will be downloaded again next time`,
        );
      }
    }

    const hash = new Sha256();
    let digest: string | undefined;
    const total = declared ?? options.expectedBytes;
    report(0, total, 'Downloading the model');
    const meter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.length;
        if (received > maxBytes) {
          fail(
            new AiError(
              AiErrorCode.MODEL_LOAD_FAILED,
              `The model download was stopped: the server sent more than the ${formatBytes(maxBytes)} ` +
                'this model may be. Nothing was kept.',
            ),
          );
          controller.error(failure);
          return;
        }
        if (declared !== undefined && received > declared) {
          fail(
            new AiError(
              AiErrorCode.MODEL_LOAD_FAILED,
              `The model download was stopped: the server sent more than the ${formatBytes(declared)} ` +
                'it announced. Nothing was kept.',
            ),
          );
          controller.error(failure);
          return;
        }
        armIdle();
        hash.update(chunk);
        report(received, total, 'Downloading the model');
        controller.enqueue(chunk);
      },
      flush(controller) {
        clearTimeout(idleTimer);
        if (declared !== undefined && received < declared) {
          fail(
            new AiError(
              AiErrorCode.MODEL_LOAD_FAILED,
              `The model download was cut off: ${formatBytes(received)} of ${formatBytes(declared)} arrived`,
              { retryable: true },
            ),
          );
          controller.error(failure);
          return;
        }
        digest = hash.hex();
        if (options.sha256 && digest !== options.sha256.toLowerCase()) {
          fail(
            new AiError(
              AiErrorCode.MODEL_LOAD_FAILED,
              'The downloaded model is damaged or not the expected file ' +
                `(SHA-256 ${digest.slice(0, 12)}…, expected ${options.sha256.slice(0, 12)}…). Nothing was kept.`,
            ),
          );
          controller.error(failure);
        }
      },
    });
    const metered = response.body.pipeThrough(meter, { signal: request.signal });
    const ofDeclared = declared !== undefined ? ` of ${formatBytes(declared)}` : '';
    const cutOff = (error: unknown) =>
      abortedOr(
        new AiError(
          AiErrorCode.MODEL_LOAD_FAILED,
          `The model download was cut off after ${formatBytes(received)}${ofDeclared}`,
          { cause: error, retryable: true },
        ),
      );

    let blob: Blob | undefined;
    if (target) {
      try {
        // Straight into storage: a stream that errors (cap, stall, hash, abort) stores nothing.
        await target.put(
          options.url,
          new Response(metered, { headers: { 'content-type': 'application/octet-stream' } }),
        );
        blob = storeOnly ? undefined : await (await target.match(options.url))?.blob();
      } catch (error) {
        if (failure || options.abortSignal?.aborted || !isQuotaError(error)) throw cutOff(error);
        // Full storage part-way (the estimate was wrong): the bytes are gone, so fetch again uncached.
        if (options.requireCache)
          throw new AiError(
            AiErrorCode.STORAGE_FULL,
            'The browser’s storage filled up during the download. ' +
              'Delete cached models or free space, then try again.',
            { cause: error },
          );
        clearTimeout(idleTimer);
        options.abortSignal?.removeEventListener('abort', onAbort);
        const uncached: DownloadOptions = { ...options };
        delete uncached.cacheName;
        const again = await downloadModel(uncached);
        return {
          ...again,
          cacheError: new AiError(
            AiErrorCode.STORAGE_FULL,
            'The browser’s storage is full: the model works now but will be downloaded again next time',
            { cause: error },
          ),
        };
      }
      const stored = !storeOnly
        ? Boolean(blob)
        : target.keys
          ? (await target.keys(options.url)).length > 0
          : (await target.match(options.url)) !== undefined;
      if (!stored)
        throw new AiError(
          AiErrorCode.INTERNAL,
          'The model was stored but cannot be read back from the browser’s cache',
        );
    } else {
      try {
        blob = await collectBlob(metered);
      } catch (error) {
        throw cutOff(error);
      }
    }
    if (!digest) throw cutOff(undefined);
    const record = await noteDownloadHash(records, options.url, digest, received);
    const warning = integrityWarning(record);
    return {
      ...(blob ? { blob } : {}),
      fromCache: false,
      sha256: digest,
      ...(cacheError ? { cacheError } : {}),
      ...(warning ? { integrityWarning: warning } : {}),
    };
  } finally {
    clearTimeout(idleTimer);
    options.abortSignal?.removeEventListener('abort', onAbort);
  }
}
