// One in-browser model per page: several blocks that use the same local model share one loaded
// engine instead of each loading (and holding in memory) its own copy. Each block's bundle has
// its own copy of this code, so the registry lives on globalThis under a versioned key.
import type { LoadOptions, TextCallOptions, TextEngine, TextStreamPart, TextStreamResult } from './interface/engine.js';

interface Entry {
  engine: TextEngine;
  users: number;
  /** Resolves when the stream in progress (if any) has ended: local engines answer one at a time. */
  idle: Promise<void>;
}

const REGISTRY_KEY = Symbol.for('ai-blocks.shared-local-engines.v1');

function registry(): Map<string, Entry> {
  const global = globalThis as { [REGISTRY_KEY]?: Map<string, Entry> | undefined };
  const existing = global[REGISTRY_KEY];
  if (existing) return existing;
  const created = new Map<string, Entry>();
  global[REGISTRY_KEY] = created;
  return created;
}

// Rejections carry the signal's reason when it is an Error (as fetch does), else an AbortError.
function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Waits for `promise`, or rejects as soon as `signal` aborts. */
function untilOrAbort(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/**
 * A handle on the page's shared engine for `key` (created by `create` on first use). Streams
 * from all handles run one after another; a handle waiting for its turn can be aborted.
 * `dispose()` releases this handle; the engine is disposed when the last one is released.
 */
export function sharedLocalEngine(key: string, create: () => TextEngine): TextEngine {
  const engines = registry();
  let entry = engines.get(key);
  if (!entry) {
    entry = { engine: create(), users: 0, idle: Promise.resolve() };
    engines.set(key, entry);
  }
  entry.users += 1;
  const shared = entry;
  let released = false;

  const handle: TextEngine = {
    specificationVersion: 'v1',
    get engineId() {
      return shared.engine.engineId;
    },
    get modelId() {
      return shared.engine.modelId;
    },
    get kind() {
      return shared.engine.kind;
    },
    availability: () => shared.engine.availability(),
    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      const previous = shared.idle;
      let release = () => {};
      shared.idle = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        await untilOrAbort(previous, options.abortSignal);
      } catch (error) {
        // Keep the order for whoever queued after this call.
        void previous.then(release);
        throw error;
      }
      let result: TextStreamResult;
      try {
        result = await shared.engine.doStream(options);
      } catch (error) {
        release();
        throw error;
      }
      // The turn ends when this stream ends, fails or is cancelled (a TransformStream would not
      // hear of a failure or a cancel, so this reads it).
      const reader = result.stream.getReader();
      const stream = new ReadableStream<TextStreamPart>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              release();
              controller.close();
            } else {
              controller.enqueue(value);
            }
          } catch (error) {
            release();
            controller.error(error);
          }
        },
        async cancel(reason) {
          try {
            await reader.cancel(reason);
          } finally {
            release();
          }
        },
      });
      return { ...result, stream };
    },
    dispose(): Promise<void> {
      if (released) return Promise.resolve();
      released = true;
      shared.users -= 1;
      if (shared.users > 0) return Promise.resolve();
      if (engines.get(key) === shared) engines.delete(key);
      return shared.engine.dispose?.() ?? Promise.resolve();
    },
  };
  if (shared.engine.load) {
    const engine = shared.engine;
    handle.load = (options?: LoadOptions) => (engine.load ? engine.load(options) : Promise.resolve());
  }
  // Engine-specific facts (threads, cache state) read through to the shared engine.
  return new Proxy(handle, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver) as unknown;
      return Reflect.get(shared.engine, property) as unknown;
    },
  });
}
