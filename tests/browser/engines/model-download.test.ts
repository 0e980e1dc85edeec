// Model downloads in Chromium against the fault server (real fetch, real Cache API): streamed
// into the cache, capped, stopped when stalled, and compared with the first download (docs/security.md, "Downloads").
import {
  AiError,
  capForSize,
  createModelManager,
  customModelFromUrl,
  deleteCachedModel,
  downloadModel,
  EMPTY_PROBE,
  isModelCached,
  TEST_MODEL_BYTES,
  type CacheStorageLike,
  type DownloadResult,
} from '@ai-blocks/runtime';
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { recordFigures, type ReliabilityFigure } from '../../helpers/reliability-figures-browser.js';

const CACHE = 'ai-blocks-download-test';
const MB = 1024 * 1024;

let fault: string;
const figures: ReliabilityFigure[] = [];
before(async () => {
  fault = (await executeServerCommand<{ fault: string }, undefined>('test-servers')).fault;
  await caches.delete(CACHE);
  await caches.delete(`${CACHE}-sha256`);
});
after(async () => {
  await caches.delete(CACHE);
  await caches.delete(`${CACHE}-sha256`);
  await recordFigures('downloads', figures);
});

const fileUrl = (scenario: string, name: string) => `${fault.replace('SCENARIO', scenario)}/${name}`;

async function failure(promise: Promise<DownloadResult>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!AiError.isInstance(error))
    throw new Error(`the download should have failed with an AiError, not ${String(error)}`);
  return error;
}

/** The SHA-256 the fault server's `big-model` bytes (byte i = i mod 251) must have. */
async function patternSha256(total: number): Promise<string> {
  const bytes = new Uint8Array(total);
  for (let index = 0; index < total; index += 1) bytes[index] = index % 251;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('downloading a model into the browser’s cache', () => {
  it('streams 64 MB into the Cache API, hashed on the way: at most a few network chunks held in between', async () => {
    const total = 64 * MB;
    const url = fileUrl('big-model', `${String(total)}.gguf`);
    // Counts what the network hands over and what the real Cache API has pulled in: their
    // difference is what sits in JS between the two (the whole file if it were buffered first).
    // Chromium hands the page network data in chunks of up to its data pipe's size (2 MB), so
    // the bound is a few chunks (each stream stage holds one), whatever the file's size.
    let fromNetwork = 0;
    let intoCache = 0;
    let inFlight = 0;
    let largestChunk = 0;
    const counter = (count: (bytes: number) => void) =>
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          count(chunk.length);
          controller.enqueue(chunk);
        },
      });
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = response.body?.pipeThrough(
        counter((bytes) => {
          fromNetwork += bytes;
          largestChunk = Math.max(largestChunk, bytes);
          inFlight = Math.max(inFlight, fromNetwork - intoCache);
        }),
      );
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const countingCaches: CacheStorageLike = {
      open: async (name) => {
        const cache = await caches.open(name);
        return {
          match: (key) => cache.match(key),
          delete: (key) => cache.delete(key),
          put: (key, response) =>
            cache.put(
              key,
              new Response(
                response.body?.pipeThrough(
                  counter((bytes) => {
                    if (name === CACHE) intoCache += bytes;
                  }),
                ),
                { headers: response.headers },
              ),
            ),
        };
      },
    };
    const result = await downloadModel({ url, cacheName: CACHE, fetch: counting, caches: countingCaches });
    expect(intoCache).to.equal(total);
    // A chunk or two held by the stream stages (the download's meter, the test's counters) and
    // one being handed over; buffering the file first would hold all of it.
    figures.push({
      label: 'bytes between network and Cache API, 64 MB download',
      value: inFlight,
      max: total / 8,
      unit: 'bytes',
    });
    figures.push({
      label: 'network chunks between network and Cache API, 64 MB download',
      value: Math.ceil(inFlight / largestChunk),
      max: 3,
    });
    expect(inFlight).to.be.at.most(3 * largestChunk);
    expect(inFlight).to.be.at.most(total / 8);
    expect(result.fromCache).to.equal(false);
    expect(result.blob.size).to.equal(total);
    expect(result.sha256).to.equal(await patternSha256(total));
    expect(await isModelCached(url, CACHE)).to.equal(true);
    const again = await downloadModel({ url, cacheName: CACHE });
    expect(again.fromCache).to.equal(true);
    expect(again.blob.size).to.equal(total);
    await deleteCachedModel(url, CACHE);
  });

  it('stops a server sending more than the model’s size (+10 %) with a clear error, caching nothing', async () => {
    const url = fileUrl('unsized-model', `${String(Date.now())}-runaway.gguf`);
    const cap = capForSize(TEST_MODEL_BYTES);
    let loaded = 0;
    const error = await failure(
      downloadModel({
        url,
        cacheName: CACHE,
        maxBytes: cap,
        onProgress: (update) => {
          loaded = update.loadedBytes ?? 0;
        },
      }),
    );
    expect(error.code).to.equal('MODEL_LOAD_FAILED');
    expect(error.message).to.match(/server sent more than the 0\.5 MB this model may be\. Nothing was kept/);
    expect(await isModelCached(url, CACHE)).to.equal(false);
    expect(loaded).to.be.at.most(cap);
    figures.push({
      label: 'bytes passed to storage past the cap (runaway server)',
      value: Math.max(0, loaded - cap),
      max: 0,
      unit: 'bytes',
    });
  });

  it('refuses a file announced larger than the cap without downloading it', async () => {
    const url = fileUrl('huge-declared', `${String(Date.now())}-huge.gguf`);
    const started = performance.now();
    const error = await failure(downloadModel({ url, cacheName: CACHE, maxBytes: 100 * MB }));
    expect(error.code).to.equal('MODEL_LOAD_FAILED');
    expect(error.message).to.match(
      /offers a 10\.0 GB file, more than the 105 MB this model may be: nothing was downloaded/,
    );
    // The server holds the body for 5 s: the refusal came from the headers.
    expect(performance.now() - started).to.be.below(4000);
    expect(await isModelCached(url, CACHE)).to.equal(false);
  });

  it('gives up on a stalled download with a clear message, caching nothing', async () => {
    const url = fileUrl('stall-model', `${String(Date.now())}-stall.gguf`);
    const error = await failure(downloadModel({ url, cacheName: CACHE, idleTimeoutMs: 500 }));
    expect(error.code).to.equal('MODEL_LOAD_FAILED');
    expect(error.message).to.match(
      /stalled: nothing arrived for 1 s \(after 0\.0 MB\)\. Check the connection and try again/,
    );
    expect(await isModelCached(url, CACHE)).to.equal(false);
  });

  it('records the first download’s SHA-256; the model manager warns when a later one differs', async () => {
    const model = customModelFromUrl(fileUrl('changing-model', `${String(Date.now())}-mutable.gguf`));
    const manager = createModelManager({ probe: EMPTY_PROBE, cacheName: CACHE });
    const first = await manager.download(model);
    expect(first.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(first.warning).to.equal(undefined);
    const bytes = TEST_MODEL_BYTES; // the size the download recorded
    expect(await manager.state(model)).to.deep.equal({ kind: 'ready', source: 'cache', bytes });
    await manager.remove(model);
    const second = await manager.download(model);
    expect(second.sha256).to.not.equal(first.sha256);
    expect(second.warning).to.match(/changed since it was first downloaded here/);
    expect(await manager.state(model)).to.deep.equal({
      kind: 'ready',
      source: 'cache',
      bytes,
      warning: second.warning,
    });
    await manager.remove(model);
  });
});
