// The page side of `bench/image-engine.bench.ts`: esbuild bundles this file (startWasmHarness with
// `entry`) for a page in headless Chromium. It runs the project's own image engine
// (createOnnxImageEngine + generateImage), so the timings are what a block gets, measured in the page.
import { createOnnxImageEngine, generateImage, IMAGE_MODEL_CACHE_NAME, type OnnxImageEngine } from '@ai-blocks/runtime';

export interface ImageLoadRequest {
  manifestUrl: string;
  provider: 'wasm' | 'webgpu';
  threads: number;
}

export interface ImageLoadResult {
  ok: boolean;
  /** From `load()` to ready: manifest, download into the (emptied) Cache API, onnxruntime-web start-up, sessions. */
  ms: number;
  provider?: string;
  threads?: number;
  runtimeVersion?: string;
  error?: string;
}

export interface ImageGenerateResult {
  ok: boolean;
  /** Tokenize, text encoder, UNet steps, VAE decoder and PNG encoding. */
  ms: number;
  /** Size of the PNG (a sanity check that an image came out). */
  pngBytes?: number;
  error?: string;
}

/** What the page puts on `window` (as `aiBlocksWasm`, the name the harness waits for). */
export interface ImagePageApi {
  isolated: boolean;
  hardwareConcurrency: number;
  /** The WebGPU adapter's description, or why there is none. */
  gpu(): Promise<string>;
  load(request: ImageLoadRequest): Promise<ImageLoadResult>;
  generate(request: { prompt: string; seed: number; steps: number }): Promise<ImageGenerateResult>;
  dispose(): Promise<void>;
}

const page = globalThis as typeof globalThis & { aiBlocksWasm?: ImagePageApi; AI_BLOCKS_ASSET_BASE_URL?: string };
// onnxruntime-web is served by bench/lib/wasm-page.ts under /runtime-assets/onnxruntime-web/.
page.AI_BLOCKS_ASSET_BASE_URL = '/runtime-assets/';

let engine: OnnxImageEngine | undefined;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

page.aiBlocksWasm = {
  isolated: globalThis.crossOriginIsolated,
  hardwareConcurrency: navigator.hardwareConcurrency,

  async gpu() {
    const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
    if (!adapter) return 'no WebGPU adapter';
    const { vendor, architecture, description } = adapter.info;
    const limit = (adapter.limits.maxStorageBufferBindingSize / 2 ** 20).toFixed(0);
    return `${[vendor, architecture, description].filter(Boolean).join(' ')} (max storage buffer ${limit} MiB)`;
  },

  async load(request) {
    await engine?.dispose();
    engine = undefined;
    // A cold load: nothing cached. The cache stays on, as in a block: without it the parts are held as Blobs,
    // and Chromium cannot hold ~1.8 GB of Blobs at once.
    await caches.delete(IMAGE_MODEL_CACHE_NAME);
    const current = createOnnxImageEngine({
      model: request.manifestUrl,
      executionProvider: request.provider,
      threads: request.threads,
      // The bench measures the engine, not the device check (headless Chromium reports 8 GB or less).
      limits: {},
    });
    const started = performance.now();
    try {
      await current.load();
    } catch (error) {
      await current.dispose();
      return { ok: false, ms: performance.now() - started, error: message(error) };
    }
    engine = current;
    return {
      ok: true,
      ms: performance.now() - started,
      ...(current.executionProvider ? { provider: current.executionProvider } : {}),
      threads: current.threads,
      ...(current.runtimeVersion ? { runtimeVersion: current.runtimeVersion } : {}),
    };
  },

  async generate(request) {
    if (!engine) return { ok: false, ms: 0, error: 'load a model first' };
    const started = performance.now();
    const result = await generateImage({ engine, ...request });
    const ms = performance.now() - started;
    if (result.status !== 'complete')
      return { ok: false, ms, error: result.error ? `${result.error.code}: ${result.error.message}` : result.status };
    return { ok: true, ms, pngBytes: result.images[0]?.bytes.length ?? 0 };
  },

  async dispose() {
    const current = engine;
    engine = undefined;
    await current?.dispose();
  },
};
