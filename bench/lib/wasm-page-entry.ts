// The page side of bench/lib/wasm-page.ts: esbuild bundles this file for the page that
// `bench/wasm-vs-native.bench.ts` and `npm run try-model` open in headless Chromium. It runs
// the project's own Wasm engine (`createWasmEngine` + `streamText`), so the numbers and the
// behaviour are what a block gets, and reports timings measured inside the page.
import { createWasmEngine, streamText, type LoadProgress, type WasmEngine } from '@ai-blocks/runtime';

export interface PageLoadRequest {
  /** A model URL (same origin, or another origin that sends CORS headers). */
  model: string;
  /** Omitted: the engine's default (hardware threads, at most 4, when cross-origin isolated). */
  threads?: number;
  contextSize?: number;
  /** `false`: skip the Cache API (try-model throws its browser profile away after one run). */
  cache?: false;
}

export interface PageLoadResult {
  ok: boolean;
  /** From `load()` to ready: download (or cache read), wasm start-up and model load. */
  ms: number;
  fromCache: boolean;
  threads: number;
  /** Where llama.cpp ran the model (`WasmEngine.backend`): its WebGPU backend or the CPU. */
  backend?: string;
  /** Why the model could not be cached (it still runs). */
  cacheError?: string;
  error?: string;
}

export interface PageGenerateRequest {
  prompt: string;
  maxTokens: number;
  /**
   * Send every delta to Node as it arrives (try-model); the bench leaves it off so the CDP traffic does not take CPU
   * from the engine.
   */
  streamDeltas: boolean;
}

export interface PageGenerateResult {
  status: 'complete' | 'aborted' | 'error';
  text: string;
  finishReason?: string;
  inputTokens?: number;
  outputTokens: number;
  /** From the call to the first delta: prompt processing plus the first token. */
  ttftMs: number;
  totalMs: number;
  /** Tokens after the first divided by the time between the first and the last delta: decode speed. */
  decodeTokensPerSecond: number;
  error?: string;
}

/** What the page puts on `window` for Playwright to call. */
export interface WasmPageApi {
  isolated: boolean;
  hardwareConcurrency: number;
  load(request: PageLoadRequest): Promise<PageLoadResult>;
  generate(request: PageGenerateRequest): Promise<PageGenerateResult>;
  dispose(): Promise<void>;
}

/** Functions Node exposes to the page (page.exposeFunction); absent when nobody listens. */
interface NodeBindings {
  aiBlocksProgress?: (progress: LoadProgress) => void;
  aiBlocksDelta?: (delta: string) => void;
}

const page = globalThis as typeof globalThis &
  NodeBindings & { aiBlocksWasm?: WasmPageApi; AI_BLOCKS_ASSET_BASE_URL?: string };
// wllama's module and wasm are served by bench/lib/wasm-page.ts under /runtime-assets/; the
// engine reads this when it loads, as it does in a host page.
page.AI_BLOCKS_ASSET_BASE_URL = '/runtime-assets/';

let engine: WasmEngine | undefined;

/**
 * Forwards progress to Node at most every 200 ms (and on every new step): a download reports every chunk, thousands of
 * times for a large model.
 */
function throttledProgress(): (progress: LoadProgress) => void {
  let lastSent = 0;
  let lastText = '';
  return (progress) => {
    const now = performance.now();
    if (progress.text === lastText && progress.fraction < 1 && now - lastSent < 200) return;
    lastSent = now;
    lastText = progress.text;
    page.aiBlocksProgress?.(progress);
  };
}

page.aiBlocksWasm = {
  isolated: globalThis.crossOriginIsolated,
  hardwareConcurrency: navigator.hardwareConcurrency,

  async load(request) {
    await engine?.dispose();
    engine = undefined;
    const current = createWasmEngine({
      model: request.model,
      ...(request.threads !== undefined ? { threads: request.threads } : {}),
      ...(request.contextSize !== undefined ? { contextSize: request.contextSize } : {}),
      ...(request.cache === false ? { cache: false as const } : {}),
      onProgress: throttledProgress(),
    });
    const started = performance.now();
    try {
      await current.load();
    } catch (error) {
      return {
        ok: false,
        ms: performance.now() - started,
        fromCache: current.loadedFromCache,
        threads: current.threads,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    const ms = performance.now() - started;
    engine = current;
    return {
      ok: true,
      ms,
      fromCache: current.loadedFromCache,
      threads: current.threads,
      ...(current.backendText ? { backend: current.backendText } : {}),
      ...(current.cacheError ? { cacheError: current.cacheError.message } : {}),
    };
  },

  async generate(request) {
    if (!engine) throw new Error('load a model first');
    const started = performance.now();
    // Greedy, so both engines in the benchmark produce the same tokens.
    const run = streamText({
      engine,
      messages: [{ role: 'user', content: request.prompt }],
      temperature: 0,
      maxOutputTokens: request.maxTokens,
    });
    let first = 0;
    let last = 0;
    let deltas = 0;
    for await (const delta of run.textStream) {
      last = performance.now();
      if (deltas === 0) first = last;
      deltas += 1;
      if (request.streamDeltas) page.aiBlocksDelta?.(delta);
    }
    const outcome = await run.outcome;
    const totalMs = performance.now() - started;
    // wllama's usage counts tokens; a delta can hold more than one (bytes of one character).
    const outputTokens = outcome.usage?.outputTokens ?? deltas;
    return {
      status: outcome.status,
      text: outcome.text,
      ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
      ...(outcome.usage ? { inputTokens: outcome.usage.inputTokens } : {}),
      outputTokens,
      ttftMs: deltas > 0 ? first - started : totalMs,
      totalMs,
      decodeTokensPerSecond: outputTokens > 1 && last > first ? (outputTokens - 1) / ((last - first) / 1000) : 0,
      ...(outcome.error ? { error: `${outcome.error.code}: ${outcome.error.message}` } : {}),
    };
  },

  async dispose() {
    const current = engine;
    engine = undefined;
    await current?.dispose();
  },
};
