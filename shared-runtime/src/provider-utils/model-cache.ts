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
  return (await cache?.match(url)) !== undefined;
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

/** The warning for a cached model whose last download differed from its first, if any. */
export async function modelIntegrityWarning(
  url: string,
  cacheName: string,
  storage: CacheStorageLike | undefined = browserCaches(),
): Promise<string | undefined> {
  return integrityWarning(await readIntegrityRecord(await openCache(storage, integrityCacheName(cacheName)), url));
}
