import type {
  Availability,
  GeneratedImage,
  ImageCallOptions,
  ImageEngine,
  LoadOptions,
  LoadProgress,
} from '../../interface/engine.js';
import { AiError, AiErrorCode, isAbortError } from '../../interface/errors.js';
import {
  assetBaseFor,
  capForSize,
  importImplementation,
  runtimeAssetBaseUrl,
  singleFlight,
} from '../../provider-utils/index.js';
import { importModelDownload } from '../../provider-utils/import-model-download.js';
import { ClipTokenizer } from './clip-tokenizer.js';
import {
  modelBytes,
  parseDiffusionManifest,
  PART_LABELS,
  PART_NAMES,
  type DiffusionManifest,
  type DiffusionPartName,
} from './manifest.js';
import { whyItCannotFit, type ExecutionProvider, type MemoryLimits } from './memory-check.js';
import { runDiffusion, type PipelineSessions, type RgbResult } from './pipeline.js';
import { encodePng, type PngCompression } from './png-encoder.js';
import { MAX_SEED, randomSeed } from './seeded-gaussian.js';
import { startOnnxWorker, WorkerReportedError, type OnnxWorker } from './session-worker.js';

/** What the engine needs to know about the GPU (injected in tests; probed with navigator.gpu otherwise). */
export interface GpuSupport {
  adapter: boolean;
  /** A software adapter (SwiftShader): used only when WebGPU is asked for explicitly. */
  isFallbackAdapter: boolean;
  shaderF16: boolean;
}

export interface OnnxImageEngineSettings {
  /** The model: the URL of its `manifest.json`, or a manifest and the URL its files are relative to. */
  model: string | { manifest: unknown; baseUrl: string };
  /** A name for the model in provenance (defaults to the manifest's id). */
  modelId?: string;
  /** 'auto' (default): WebGPU on a real GPU when the model supports it, else WebAssembly. */
  executionProvider?: 'auto' | ExecutionProvider;
  /** WebAssembly threads when the page is cross-origin isolated (default: hardware threads, at most 4). */
  threads?: number;
  /** 'deflate' (default, smaller) or 'stored' (byte-exact across browsers). */
  pngCompression?: PngCompression;
  onProgress?: (progress: LoadProgress) => void;
  /** Where onnxruntime-web is (`<base>onnxruntime-web/…`); defaults to the runtime asset base. */
  assetBaseUrl?: string;
  /** Cache API cache for the model's files; `false` disables caching. */
  cache?: string | false;
  fetch?: typeof fetch;
  /** Device memory to check against (default: navigator.deviceMemory). */
  limits?: MemoryLimits;
  /** GPU support (default: asked of navigator.gpu). */
  gpu?: () => Promise<GpuSupport>;
}

export interface OnnxImageEngine extends ImageEngine {
  load(options?: LoadOptions): Promise<void>;
  /** Stops the worker and frees the model's memory. */
  dispose(): Promise<void>;
  /** Why the model cannot run here (read from its manifest, nothing else downloaded), or undefined. */
  whyUnavailable(): Promise<string | undefined>;
  /** The provider in use after load. */
  readonly executionProvider: ExecutionProvider | undefined;
  /** WebAssembly threads in use after load (1 unless the page is cross-origin isolated). */
  readonly threads: number;
  /** onnxruntime-web's version after load. */
  readonly runtimeVersion: string | undefined;
}

/** Cache API cache for image models' files. */
export const IMAGE_MODEL_CACHE_NAME = 'ai-blocks-image-models';

interface Loaded {
  manifest: DiffusionManifest;
  tokenizer: ClipTokenizer;
  sessions: PipelineSessions;
  worker: OnnxWorker;
}

const pageHref = () => (globalThis as { location?: { href: string } }).location?.href;

async function probeGpu(): Promise<GpuSupport> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  try {
    const adapter = await gpu?.requestAdapter();
    if (!adapter) return { adapter: false, isFallbackAdapter: false, shaderF16: false };
    // Chromium moved isFallbackAdapter from GPUAdapter to GPUAdapterInfo; read whichever exists.
    const fromInfo = (adapter.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter;
    const fromAdapter = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const isFallbackAdapter = fromInfo ?? fromAdapter ?? false;
    return { adapter: true, isFallbackAdapter, shaderF16: adapter.features.has('shader-f16') };
  } catch {
    return { adapter: false, isFallbackAdapter: false, shaderF16: false };
  }
}

function modelIdOf(model: OnnxImageEngineSettings['model']): string {
  if (typeof model === 'string') return model;
  const id = (model.manifest as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : 'onnx-image-model';
}

function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Text-to-image with one- to few-step distilled diffusion models (SD-Turbo, SDXS) on
 * onnxruntime-web: WebGPU on a usable GPU, WebAssembly otherwise (threaded when the page is
 * cross-origin isolated), in a module worker. The factory is light; onnxruntime-web loads from
 * the asset base only when the model loads, after its manifest has been checked against this
 * device's limits.
 */
export function createOnnxImageEngine(settings: OnnxImageEngineSettings): OnnxImageEngine {
  let manifestPromise: Promise<{ manifest: DiffusionManifest; baseUrl: string }> | undefined;
  let loaded: Loaded | undefined;
  let provider: ExecutionProvider | undefined;
  let threads = 1;
  let runtimeVersion: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const doFetch = settings.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function fetchManifest(): Promise<{ manifest: DiffusionManifest; baseUrl: string }> {
    let raw: unknown;
    let baseUrl: string;
    if (typeof settings.model === 'string') {
      const url = new URL(settings.model, pageHref()).href;
      baseUrl = url;
      let response: Response;
      try {
        response = await doFetch(url);
      } catch (error) {
        throw new AiError(
          AiErrorCode.MODEL_LOAD_FAILED,
          `Could not fetch the image model’s manifest from ${url}: ${failureText(error)}`,
          { cause: error, retryable: true },
        );
      }
      if (response.status === 404 || response.status === 410)
        throw new AiError(AiErrorCode.MODEL_NOT_FOUND, `There is no image model manifest at ${url}`, {
          statusCode: response.status,
        });
      if (!response.ok)
        throw new AiError(
          AiErrorCode.MODEL_LOAD_FAILED,
          `Fetching the image model’s manifest failed: HTTP ${response.status}`,
          { statusCode: response.status },
        );
      try {
        raw = await response.json();
      } catch (error) {
        throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The image model’s manifest at ${url} is not JSON`, {
          cause: error,
        });
      }
    } else {
      raw = settings.model.manifest;
      baseUrl = new URL(settings.model.baseUrl, pageHref()).href;
    }
    const parsed = parseDiffusionManifest(raw);
    if (!parsed.ok)
      throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, `The image model’s manifest is not valid: ${parsed.problems}`);
    return { manifest: parsed.manifest, baseUrl };
  }

  function manifestOnce(): Promise<{ manifest: DiffusionManifest; baseUrl: string }> {
    manifestPromise ??= fetchManifest().catch((error: unknown) => {
      manifestPromise = undefined;
      throw error;
    });
    return manifestPromise;
  }

  /** The provider to use, or why none fits. */
  async function chooseProvider(
    manifest: DiffusionManifest,
  ): Promise<{ provider: ExecutionProvider } | { reason: string }> {
    const requested = settings.executionProvider ?? 'auto';
    if (requested !== 'auto' && !manifest.executionProviders.includes(requested))
      return { reason: `This model does not run on ${requested === 'webgpu' ? 'WebGPU' : 'WebAssembly'}.` };
    const candidates = requested === 'auto' ? manifest.executionProviders : [requested];
    const deviceMemory = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
    const limits: MemoryLimits =
      settings.limits ?? (deviceMemory !== undefined ? { deviceMemoryGiB: deviceMemory } : {});
    const reasons: string[] = [];
    for (const candidate of candidates) {
      if (candidate === 'webgpu') {
        const gpu = await (settings.gpu ?? probeGpu)();
        if (!gpu.adapter) {
          reasons.push('It needs WebGPU, which this browser does not offer.');
          continue;
        }
        if (gpu.isFallbackAdapter && requested === 'auto') {
          reasons.push('It needs a real GPU; WebGPU here runs in software.');
          continue;
        }
        if (manifest.requiresShaderF16 && !gpu.shaderF16) {
          reasons.push('It needs the GPU feature shader-f16, which this GPU lacks.');
          continue;
        }
      } else {
        if (typeof WebAssembly !== 'object') {
          reasons.push('This browser cannot run WebAssembly.');
          continue;
        }
        if (manifest.requiresShaderF16) {
          reasons.push('Its half-precision weights need a GPU.');
          continue;
        }
      }
      const tooBig = whyItCannotFit(manifest, candidate, limits);
      if (tooBig) {
        reasons.push(tooBig);
        continue;
      }
      return { provider: candidate };
    }
    return { reason: reasons.join(' ') || 'No execution provider fits this model.' };
  }

  async function loadNow(options: LoadOptions): Promise<void> {
    let lastFraction = 0;
    const progress = (update: LoadProgress) => {
      lastFraction = Math.max(lastFraction, update.fraction);
      const monotonic = { ...update, fraction: lastFraction };
      settings.onProgress?.(monotonic);
      options.onProgress?.(monotonic);
    };
    const signal = options.abortSignal;
    signal?.throwIfAborted();
    const { manifest, baseUrl } = await manifestOnce();
    const choice = await chooseProvider(manifest);
    if ('reason' in choice)
      throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, `${manifest.name} cannot run here. ${choice.reason}`);
    signal?.throwIfAborted();

    const assetBase = settings.assetBaseUrl ? new URL(settings.assetBaseUrl, pageHref()).href : runtimeAssetBaseUrl();
    // The download code is the runtime asset model-download.js in a main file.
    const downloadBase = assetBaseFor(settings.assetBaseUrl);
    const { downloadModel } = await importImplementation(
      () => importModelDownload(downloadBase),
      'The image engine',
      `${downloadBase}model-download.js`,
      ['downloadModel'],
    );
    signal?.throwIfAborted();
    const ortBase = new URL('onnxruntime-web/', assetBase).href;
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    const hardware =
      (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    const wantedThreads = isolated ? Math.max(1, settings.threads ?? Math.min(4, hardware)) : 1;
    // onnxruntime-web starts compiling while the model downloads.
    const workerPromise = startOnnxWorker({
      moduleUrl: new URL(choice.provider === 'webgpu' ? 'ort.webgpu.min.mjs' : 'ort.wasm.min.mjs', ortBase).href,
      wasmBase: ortBase,
      threads: wantedThreads,
    });
    workerPromise.catch(() => undefined);

    const fileUrl = (file: string) => new URL(file, baseUrl).href;
    const cacheName = settings.cache === false ? undefined : (settings.cache ?? IMAGE_MODEL_CACHE_NAME);
    const download = async (
      file: string,
      sha256: string | undefined,
      onFraction: (fraction: number, update: LoadProgress) => void,
      bytes?: number,
    ) =>
      (
        await downloadModel({
          url: fileUrl(file),
          ...(sha256 ? { sha256 } : {}),
          // Manifest sizes may be estimates: refuse only a file far larger than announced.
          ...(bytes ? { expectedBytes: bytes, maxBytes: capForSize(bytes, 0.5) } : {}),
          ...(cacheName ? { cacheName } : {}),
          ...(settings.fetch ? { fetch: settings.fetch } : {}),
          ...(signal ? { abortSignal: signal } : {}),
          onProgress: (update) => {
            onFraction(update.fraction, update);
          },
          span: 1,
        })
      ).blob;

    const total = modelBytes(manifest);
    const DOWNLOAD_SHARE = 0.9;
    try {
      const [vocab, merges] = await Promise.all([
        download(manifest.tokenizer.vocab, undefined, () => undefined),
        download(manifest.tokenizer.merges, undefined, () => undefined),
      ]);
      let tokenizer: ClipTokenizer;
      try {
        tokenizer = ClipTokenizer.fromFiles(await vocab.text(), await merges.text(), manifest.tokenizer);
      } catch (error) {
        throw new AiError(
          AiErrorCode.MODEL_LOAD_FAILED,
          `The image model’s tokenizer files are not valid: ${failureText(error)}`,
          { cause: error },
        );
      }
      const blobs = {} as Record<DiffusionPartName, Blob>;
      let before = 0;
      for (const name of PART_NAMES) {
        const part = manifest[name];
        const start = before;
        const onFraction = (fraction: number, update: LoadProgress) => {
          progress({
            ...update,
            fraction: ((start + fraction * part.bytes) / total) * DOWNLOAD_SHARE,
            text: `Downloading the ${PART_LABELS[name]}`,
          });
        };
        blobs[name] = await download(part.file, part.sha256, onFraction, part.bytes);
        before += part.bytes;
      }
      signal?.throwIfAborted();
      progress({ fraction: DOWNLOAD_SHARE, text: 'Starting onnxruntime-web' });
      const worker = await workerPromise;
      const sessions = {} as PipelineSessions;
      for (const [index, name] of PART_NAMES.entries()) {
        progress({
          fraction: DOWNLOAD_SHARE + ((1 - DOWNLOAD_SHARE) * index) / PART_NAMES.length,
          text: `Preparing the ${PART_LABELS[name]}`,
        });
        try {
          sessions[name] = await worker.createSession(name, await blobs[name].arrayBuffer(), choice.provider);
        } catch (error) {
          if (AiError.isInstance(error)) throw error;
          throw new AiError(
            AiErrorCode.MODEL_LOAD_FAILED,
            `The ${PART_LABELS[name]} could not be loaded: ${failureText(error)}`,
            { cause: error },
          );
        }
        signal?.throwIfAborted();
      }
      loaded = { manifest, tokenizer, sessions, worker };
      runtimeVersion = worker.version;
    } catch (error) {
      // Stop the worker whether or not it has started yet.
      void workerPromise.then(
        (worker) => worker.terminate(),
        () => undefined,
      );
      throw error;
    }
    provider = choice.provider;
    threads = choice.provider === 'wasm' ? wantedThreads : 1;
    progress({
      fraction: 1,
      text:
        choice.provider === 'webgpu'
          ? 'Ready (WebGPU)'
          : `Ready (WebAssembly, ${threads} thread${threads === 1 ? '' : 's'})`,
    });
  }

  const loadOnce = singleFlight(loadNow);

  async function generate(options: ImageCallOptions): Promise<{ images: GeneratedImage[] }> {
    await engine.load(options.abortSignal ? { abortSignal: options.abortSignal } : {});
    const model = loaded;
    if (!model) throw new AiError(AiErrorCode.MODEL_LOAD_FAILED, 'The image model is not loaded');
    const { manifest } = model;
    const count = options.n ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 4)
      throw new AiError(AiErrorCode.INVALID_REQUEST, 'This engine makes 1 to 4 images at a time.');
    if (options.size !== undefined && options.size !== `${manifest.image.width}x${manifest.image.height}`) {
      throw new AiError(
        AiErrorCode.INVALID_REQUEST,
        `${manifest.name} makes ${manifest.image.width}x${manifest.image.height} images, not ${options.size}.`,
      );
    }
    const steps = options.steps ?? manifest.scheduler.defaultSteps;
    if (!Number.isInteger(steps) || steps < 1 || steps > manifest.scheduler.maxSteps)
      throw new AiError(
        AiErrorCode.INVALID_REQUEST,
        `${manifest.name} takes 1 to ${manifest.scheduler.maxSteps} steps, not ${steps}.`,
      );
    const firstSeed = options.seed ?? randomSeed();
    if (!Number.isInteger(firstSeed) || firstSeed < 0 || firstSeed > MAX_SEED)
      throw new AiError(AiErrorCode.INVALID_REQUEST, `A seed is a whole number from 0 to ${MAX_SEED}.`);
    const images: GeneratedImage[] = [];
    for (let index = 0; index < count; index += 1) {
      const seed = (firstSeed + index) % (MAX_SEED + 1);
      let rgb: RgbResult;
      try {
        rgb = await runDiffusion(manifest, model.tokenizer, model.sessions, {
          prompt: options.prompt,
          seed,
          steps,
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
          onStep: (step) => options.onProgress?.({ step: index * steps + step, totalSteps: count * steps }),
        });
      } catch (error) {
        throw translateRunError(error, options.abortSignal);
      }
      images.push({ bytes: await encodePng(rgb, settings.pngCompression ?? 'deflate'), mediaType: 'image/png', seed });
    }
    return { images };
  }

  const engine: OnnxImageEngine = {
    specificationVersion: 'v1',
    engineId: 'onnx-image',
    modelId: settings.modelId ?? modelIdOf(settings.model),
    kind: 'local',
    get executionProvider() {
      return provider;
    },
    get threads() {
      return threads;
    },
    get runtimeVersion() {
      return runtimeVersion;
    },

    async whyUnavailable(): Promise<string | undefined> {
      if (typeof WebAssembly !== 'object') return 'This browser cannot run WebAssembly.';
      if (typeof Worker === 'undefined') return 'This browser cannot start workers.';
      const { manifest } = await manifestOnce();
      const choice = await chooseProvider(manifest);
      return 'reason' in choice ? choice.reason : undefined;
    },

    async availability(): Promise<Availability> {
      if (loaded) return 'available';
      try {
        return (await engine.whyUnavailable()) === undefined ? 'downloadable' : 'unavailable';
      } catch {
        // An unreachable manifest may be a passing network failure: loading will say why.
        return 'downloadable';
      }
    },

    load(options: LoadOptions = {}): Promise<void> {
      if (loaded) return Promise.resolve();
      return loadOnce(options);
    },

    doGenerate(options: ImageCallOptions): Promise<{ images: GeneratedImage[] }> {
      // One image at a time: the sessions are shared.
      const run = queue.then(() => generate(options));
      queue = run.catch(() => undefined);
      return run;
    },

    async dispose(): Promise<void> {
      const model = loaded;
      loaded = undefined;
      provider = undefined;
      await model?.worker.terminate();
    },
  };
  return engine;
}

function translateRunError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || isAbortError(error)) return signal?.reason ?? error;
  if (AiError.isInstance(error)) return error;
  const message = failureText(error);
  if (/device (was )?lost|GPUDevice/i.test(message))
    return new AiError(AiErrorCode.DEVICE_LOST, `The GPU stopped while drawing the image: ${message}`, {
      cause: error,
    });
  if (error instanceof WorkerReportedError && /memory|allocat/i.test(message))
    return new AiError(AiErrorCode.INTERNAL, `The image model ran out of memory: ${message}`, { cause: error });
  return new AiError(AiErrorCode.INTERNAL, `The image model failed: ${message}`, { cause: error });
}
