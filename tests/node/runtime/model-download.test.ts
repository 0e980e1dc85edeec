// Model downloads (docs/security.md, "Downloads"): streamed into storage, capped, stopped when stalled, hashed, and
// compared with the first download. The Cache API is a fake passed in (Node has none); it
// consumes what it is given piece by piece, like the browser's, and records what it stored.
import { createHash } from 'node:crypto';
import {
  AiError,
  builtInCatalogue,
  createModelManager,
  customModelFromUrl,
  downloadModel,
  EMPTY_PROBE,
  isModelCached,
  type CacheLike,
  type CacheStorageLike,
  type DownloadOptions,
  type LoadProgress,
} from '@ai-blocks/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFigures, type ReliabilityFigure } from '../../helpers/reliability-figures.js';

const MB = 1024 * 1024;
const CACHE = 'models-test';

const figures: ReliabilityFigure[] = [];
afterAll(() => {
  recordFigures('downloads-node', figures);
});

/** A Cache API that reads a stored body piece by piece and keeps it as a Blob. */
class FakeCaches implements CacheStorageLike {
  readonly caches = new Map<string, Map<string, Blob>>();
  /** Bytes the models' cache has read from bodies being stored, over all puts. */
  consumed = 0;

  open(name: string): Promise<CacheLike> {
    const entries = this.caches.get(name) ?? new Map<string, Blob>();
    this.caches.set(name, entries);
    return Promise.resolve({
      match: (url) => Promise.resolve(entries.has(url) ? new Response(entries.get(url)) : undefined),
      delete: (url) => Promise.resolve(entries.delete(url)),
      put: async (url, response) => {
        const parts: Blob[] = [];
        const reader = response.body?.getReader();
        for (;;) {
          const next = await reader?.read();
          if (!next || next.done) break;
          if (name === CACHE) this.consumed += next.value.length;
          parts.push(new Blob([next.value.slice().buffer]));
        }
        // Like the browser's: a body that errors rejects above and stores nothing.
        entries.set(url, new Blob(parts));
      },
    });
  }

  stored(url: string): Blob | undefined {
    return this.caches.get(CACHE)?.get(url);
  }
}

interface ServedBody {
  /** Bytes handed to the downloader so far. */
  produced: number;
  /** Whether the downloader's request signal was aborted (the connection was released). */
  aborted: boolean;
}

/**
 * A fetch that serves `total` bytes of a pattern in 64 KB pieces, on demand (pull: the
 * downloader's reading drives it). `declare` sets content-length (default: the truth);
 * `stallAfter` stops sending after that many bytes, without closing.
 */
function serve(
  total: number,
  options: { declare?: number | null; stallAfter?: number; salt?: number; hangHeaders?: boolean } = {},
): { fetch: typeof fetch; body: ServedBody; requests: number } {
  const served = { fetch: undefined as unknown as typeof fetch, body: { produced: 0, aborted: false }, requests: 0 };
  served.fetch = (_input, init) => {
    served.requests += 1;
    const body = served.body;
    const signal = init?.signal ?? undefined;
    signal?.addEventListener('abort', () => {
      body.aborted = true;
    });
    if (options.hangHeaders)
      return new Promise((_, reject) => {
        signal?.addEventListener('abort', () => {
          reject(signal.reason as Error);
        });
      });
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (options.stallAfter !== undefined && body.produced >= options.stallAfter)
            return new Promise<void>(() => {});
          if (body.produced >= total) {
            controller.close();
            return undefined;
          }
          const length = Math.min(64 * 1024, total - body.produced);
          controller.enqueue(pattern(body.produced, length, options.salt));
          body.produced += length;
          return undefined;
        },
      },
      { highWaterMark: 0 },
    );
    const declared = options.declare === undefined ? total : options.declare;
    return Promise.resolve(
      new Response(stream, { headers: declared === null ? {} : { 'content-length': String(declared) } }),
    );
  };
  return served;
}

function pattern(offset: number, length: number, salt = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (offset + index + salt) % 251;
  return bytes;
}

function patternHash(total: number, salt = 0): string {
  const hash = createHash('sha256');
  for (let offset = 0; offset < total; offset += MB) hash.update(pattern(offset, Math.min(MB, total - offset), salt));
  return hash.digest('hex');
}

async function failure(promise: Promise<unknown>): Promise<AiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!AiError.isInstance(error)) throw new Error(`expected an AiError, got ${String(error)}`);
  return error;
}

const url = (name: string) => `https://models.test/${name}.gguf`;
const base = (storage: FakeCaches, fetcher: typeof fetch, extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
  url: url('m'),
  cacheName: CACHE,
  caches: storage,
  fetch: fetcher,
  estimate: () => Promise.resolve(undefined),
  ...extra,
});

describe('downloading a model', () => {
  it('streams 64 MB into the cache without holding it: at most 1 MB between the network and storage', async () => {
    const storage = new FakeCaches();
    const total = 64 * MB;
    const served = serve(total);
    let inFlight = 0;
    const progress: LoadProgress[] = [];
    const result = await downloadModel(
      base(storage, served.fetch, {
        onProgress: (update) => {
          progress.push(update);
          inFlight = Math.max(inFlight, served.body.produced - storage.consumed);
        },
      }),
    );
    expect(inFlight).toBeLessThanOrEqual(MB);
    figures.push({
      label: 'most bytes between network and storage, 64 MB download',
      value: inFlight,
      max: MB,
      unit: 'bytes',
    });
    expect(storage.consumed).toBe(total);
    expect(result).toMatchObject({ fromCache: false, sha256: patternHash(total) });
    expect(result.blob.size).toBe(total);
    expect(storage.stored(url('m'))?.size).toBe(total);
    expect(progress.at(-1)).toMatchObject({ loadedBytes: total, totalBytes: total, fraction: 1 });
    // The second time it comes from the cache, without a request.
    const again = await downloadModel(base(storage, served.fetch));
    expect(again.fromCache).toBe(true);
    expect(served.requests).toBe(1);
  });

  it('stops a server that sends more than it announced, keeping nothing', async () => {
    const storage = new FakeCaches();
    const served = serve(2 * MB, { declare: MB });
    const error = await failure(downloadModel(base(storage, served.fetch)));
    expect(error.code).toBe('MODEL_LOAD_FAILED');
    expect(error.message).toMatch(/more than the 1\.0 MB it announced.*Nothing was kept/);
    expect(storage.stored(url('m'))).toBeUndefined();
    expect(await isModelCached(url('m'), CACHE, storage)).toBe(false);
    expect(served.body.produced).toBeLessThanOrEqual(MB + 128 * 1024);
  });

  it('stops a download that grows past the cap when no size is announced, keeping nothing', async () => {
    const storage = new FakeCaches();
    const served = serve(50 * MB, { declare: null });
    const error = await failure(downloadModel(base(storage, served.fetch, { maxBytes: 3 * MB })));
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(error.message).toMatch(/more than the 3\.1 MB this model may be/);
    expect(storage.stored(url('m'))).toBeUndefined();
    expect(served.body.produced).toBeLessThan(4 * MB);
    expect(served.body.aborted).toBe(true);
    figures.push({
      label: 'bytes fetched past a 3 MB cap before the download stopped',
      value: Math.max(0, served.body.produced - 3 * MB),
      max: MB,
      unit: 'bytes',
    });
  });

  it('refuses a file announced larger than the cap before reading it', async () => {
    const storage = new FakeCaches();
    const served = serve(50 * MB);
    const error = await failure(downloadModel(base(storage, served.fetch, { maxBytes: MB })));
    expect(error.code).toBe('MODEL_LOAD_FAILED');
    expect(error.message).toMatch(
      /offers a 52 MB file, more than the 1\.0 MB this model may be: nothing was downloaded/,
    );
    expect(served.body.produced).toBeLessThanOrEqual(64 * 1024);
  });

  it('gives up on a stalled download with a clear message, keeping nothing and releasing the connection', async () => {
    const storage = new FakeCaches();
    const served = serve(4 * MB, { stallAfter: MB });
    const error = await failure(downloadModel(base(storage, served.fetch, { idleTimeoutMs: 150 })));
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED', retryable: true });
    expect(error.message).toMatch(/stalled: nothing arrived for 0 s \(after 1\.0 MB\)/);
    expect(storage.stored(url('m'))).toBeUndefined();
    expect(served.body.aborted).toBe(true);
    // Headers that never come stall too.
    const silent = serve(MB, { hangHeaders: true });
    expect((await failure(downloadModel(base(storage, silent.fetch, { idleTimeoutMs: 150 })))).message).toMatch(
      /stalled/,
    );
  });

  it('refuses a file whose SHA-256 differs from the catalogue’s, keeping nothing; keeps a match', async () => {
    const storage = new FakeCaches();
    const wrong = await failure(downloadModel(base(storage, serve(MB).fetch, { sha256: '0'.repeat(64) })));
    expect(wrong.code).toBe('MODEL_LOAD_FAILED');
    expect(wrong.message).toMatch(/damaged or not the expected file.*Nothing was kept/);
    expect(storage.stored(url('m'))).toBeUndefined();
    const right = await downloadModel(base(storage, serve(MB).fetch, { sha256: patternHash(MB).toUpperCase() }));
    expect(right.sha256).toBe(patternHash(MB));
    expect(storage.stored(url('m'))?.size).toBe(MB);
    // A cached copy with a wrong hash is dropped and downloaded again.
    await storage.open(CACHE).then((cache) => cache.put(url('other'), new Response(new Uint8Array(10))));
    const served = serve(MB);
    const refetched = await downloadModel(base(storage, served.fetch, { url: url('other'), sha256: patternHash(MB) }));
    expect(refetched.fromCache).toBe(false);
    expect(served.requests).toBe(1);
  });

  it('records the SHA-256 of the first download and warns when a later download differs', async () => {
    const storage = new FakeCaches();
    const first = await downloadModel(base(storage, serve(MB).fetch));
    expect(first.integrityWarning).toBeUndefined();
    await storage.open(CACHE).then((cache) => cache.delete(url('m')));
    const changed = await downloadModel(base(storage, serve(MB, { salt: 7 }).fetch));
    expect(changed.sha256).toBe(patternHash(MB, 7));
    expect(changed.integrityWarning).toMatch(
      new RegExp(
        `changed since it was first downloaded here.*${patternHash(MB).slice(0, 12)}` +
          `.*now ${patternHash(MB, 7).slice(0, 12)}`,
      ),
    );
    // The warning stays with the cached copy…
    expect((await downloadModel(base(storage, serve(MB).fetch))).integrityWarning).toBe(changed.integrityWarning);
    // …until a download matches the first again.
    await storage.open(CACHE).then((cache) => cache.delete(url('m')));
    expect((await downloadModel(base(storage, serve(MB).fetch))).integrityWarning).toBeUndefined();
  });

  it('checks storage first: STORAGE_FULL before downloading when it must cache; else it loads uncached', async () => {
    const storage = new FakeCaches();
    const full = () => Promise.resolve({ usage: 990 * MB, quota: 1000 * MB });
    const served = serve(20 * MB);
    const error = await failure(downloadModel(base(storage, served.fetch, { estimate: full, requireCache: true })));
    expect(error.code).toBe('STORAGE_FULL');
    expect(error.message).toMatch(/needs 21 MB, 10 MB is free/);
    expect(served.body.produced).toBeLessThanOrEqual(64 * 1024);
    const loaded = await downloadModel(base(storage, serve(20 * MB).fetch, { estimate: full }));
    expect(loaded.blob.size).toBe(20 * MB);
    expect(loaded.cacheError?.code).toBe('STORAGE_FULL');
    expect(storage.stored(url('m'))).toBeUndefined();
  });

  it('stops when cancelled, as an abort, keeping nothing', async () => {
    const storage = new FakeCaches();
    const served = serve(16 * MB);
    const controller = new AbortController();
    const error = await downloadModel(
      base(storage, served.fetch, {
        abortSignal: controller.signal,
        onProgress: (update) => {
          if ((update.loadedBytes ?? 0) >= MB) controller.abort();
        },
      }),
    ).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(storage.stored(url('m'))).toBeUndefined();
    expect(served.body.aborted).toBe(true);
  });
});

describe('the model manager’s downloads', () => {
  it('caps a catalogue model at its size +10 % and shows a changed file as a warning in its state', async () => {
    const storage = new FakeCaches();
    const tiny = builtInCatalogue().find((model) => model.testModel);
    if (!tiny) throw new Error('catalogue changed');
    const model = { ...tiny, url: 'https://models.test/tiny.gguf' };
    const manager = (fetcher: typeof fetch) =>
      createModelManager({
        probe: EMPTY_PROBE,
        cacheName: CACHE,
        caches: storage,
        fetch: fetcher,
        estimate: () => Promise.resolve(undefined),
      });
    // Twice the size, without announcing it: stopped at 110 %.
    const runaway = serve(2 * tiny.downloadBytes, { declare: null });
    const error = await failure(manager(runaway.fetch).download(model));
    expect(error.message).toMatch(/more than the 0\.5 MB this model may be/);
    expect(runaway.body.produced).toBeLessThan(tiny.downloadBytes * 1.1 + 64 * 1024);
    expect(await manager(runaway.fetch).state(model)).toEqual({ kind: 'download', bytes: tiny.downloadBytes });

    const custom = customModelFromUrl('https://models.test/custom.gguf?token=abc');
    expect(await manager(serve(MB).fetch).download(custom)).toEqual({ sha256: patternHash(MB) });
    // A downloaded model's size is what its download recorded.
    expect(await manager(serve(MB).fetch).state(custom)).toEqual({ kind: 'ready', source: 'cache', bytes: MB });
    await manager(serve(MB).fetch).remove(custom);
    const changed = await manager(serve(MB, { salt: 1 }).fetch).download(custom);
    expect(changed.warning).toMatch(/changed since it was first downloaded/);
    expect(await manager(serve(MB).fetch).state(custom)).toEqual({
      kind: 'ready',
      source: 'cache',
      bytes: MB,
      warning: changed.warning,
    });
  });
});
