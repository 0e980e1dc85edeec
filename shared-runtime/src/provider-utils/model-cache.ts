// Asking the Cache API about downloaded models (is one there, delete it, did its file change):
// light, for the model picker; downloading (model-download.ts) loads with the local engines.
import {
  integrityCacheName,
  integrityWarning,
  readIntegrityRecord,
  type CacheLike,
  type CacheStorageLike,
} from './model-integrity.js';

export function browserCaches(): CacheStorageLike | undefined {
  return typeof caches === 'undefined' ? undefined : caches;
}

/** The named cache, or undefined where there is none or it cannot be opened. */
export async function openCache(
  storage: CacheStorageLike | undefined,
  name: string | undefined,
): Promise<CacheLike | undefined> {
  if (!name || !storage) return undefined;
  try {
    return await storage.open(name);
  } catch {
    return undefined;
  }
}

/** Whether a model URL is in the cache. */
export async function isModelCached(
  url: string,
  cacheName: string,
  storage: CacheStorageLike | undefined = browserCaches(),
): Promise<boolean> {
  const cache = await openCache(storage, cacheName);
  if (!cache) return false;
  // keys(), not match(): an unread match() response keeps the file's storage counted (in
  // Chromium) until it is garbage-collected, so a deleted model would still seem to use it.
  if (cache.keys) return (await cache.keys(url)).length > 0;
  return (await cache.match(url)) !== undefined;
}

/** Removes a model from the cache (its recorded SHA-256 stays, to compare the next download with). */
export async function deleteCachedModel(
  url: string,
  cacheName: string,
  storage: CacheStorageLike | undefined = browserCaches(),
): Promise<boolean> {
  const cache = await openCache(storage, cacheName);
  return (await cache?.delete(url)) ?? false;
}

/** What the record of a cached model's last download says: its size, and a warning if it changed. */
export async function cachedModelFacts(
  url: string,
  cacheName: string,
  storage: CacheStorageLike | undefined = browserCaches(),
): Promise<{ bytes?: number; warning?: string }> {
  const record = await readIntegrityRecord(await openCache(storage, integrityCacheName(cacheName)), url);
  const warning = integrityWarning(record);
  return { ...(record && record.bytes > 0 ? { bytes: record.bytes } : {}), ...(warning ? { warning } : {}) };
}

const remoteSizes = new Map<string, Promise<number>>();

/**
 * A model file's size before it is downloaded, from a HEAD request's Content-Length (asked once
 * per URL on a page); 0 when the server does not say or cannot be asked.
 */
export function remoteModelBytes(
  url: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<number> {
  let size = remoteSizes.get(url);
  if (!size) {
    size = fetchFn(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) })
      .then((response) => {
        const length = Number(response.headers.get('content-length'));
        return response.ok && Number.isSafeInteger(length) && length > 0 ? length : 0;
      })
      .catch(() => 0);
    remoteSizes.set(url, size);
  }
  return size;
}

/** The warning for a cached model whose last download differed from its first, if any. */
export async function modelIntegrityWarning(
  url: string,
  cacheName: string,
  storage: CacheStorageLike | undefined = browserCaches(),
): Promise<string | undefined> {
  return integrityWarning(await readIntegrityRecord(await openCache(storage, integrityCacheName(cacheName)), url));
}
