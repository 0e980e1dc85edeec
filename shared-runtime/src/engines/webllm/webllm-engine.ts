import type {
  Availability,
  LoadOptions,
  LoadProgress,
  TextCallOptions,
  TextEngine,
  TextStreamResult,
} from '../../interface/engine.js';
import { assetBaseFor, importImplementation } from '../../provider-utils/index.js';
import { webgpuAdapterAvailability } from '../../provider-utils/gpu-support.js';
import { importWebLLMImplementation, type WebLLMImplementation } from './import-webllm-implementation.js';
import type { WebLLMAppConfig } from './webllm-models.js';

/** web-llm's `InitProgressReport`. */
export interface WebLLMProgressReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

export type WebLLMLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/** web-llm's `MLCEngineConfig`, as this engine fills it in. */
export interface WebLLMEngineConfig {
  appConfig: WebLLMAppConfig;
  initProgressCallback: (report: WebLLMProgressReport) => void;
  logLevel?: WebLLMLogLevel;
}

/** The streamed chat request this engine sends (OpenAI-shaped, as web-llm takes it). */
export interface WebLLMChatRequest {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  stream: true;
  stream_options: { include_usage: boolean };
  temperature?: number;
  max_tokens?: number;
  stop?: string[];
}

/** One `ChatCompletionChunk`; with `include_usage` the last one has `usage` and no choices. */
export interface WebLLMChunk {
  choices: { delta: { content?: string | null }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

/** The part of web-llm's `MLCEngineInterface` this engine uses (tests pass a fake). */
export interface MLCEngineLike {
  reload(modelId: string, chatOpts?: object): Promise<void>;
  unload(): Promise<void>;
  /** Ends the current generation; its stream then finishes with `finish_reason: 'abort'`. */
  interruptGenerate(): void;
  chat: { completions: { create(request: WebLLMChatRequest): Promise<AsyncIterable<WebLLMChunk>> } };
  /** A `WebWorkerMLCEngine`'s worker, stopped on dispose. */
  worker?: unknown;
}

/** The exports of `@mlc-ai/web-llm` this engine uses. */
export interface WebLLMModuleLike {
  prebuiltAppConfig: WebLLMAppConfig;
  MLCEngine: new (config?: WebLLMEngineConfig) => MLCEngineLike;
  WebWorkerMLCEngine: new (worker: Worker, config?: WebLLMEngineConfig) => MLCEngineLike;
  hasModelInCache(modelId: string, appConfig?: WebLLMAppConfig): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string, appConfig?: WebLLMAppConfig): Promise<void>;
}

export interface WebLLMEngineSettings {
  /** A `model_id` of the app config's `model_list`. */
  modelId: string;
  /**
   * The models web-llm may load; defaults to web-llm's `prebuiltAppConfig`. Relative URLs are resolved against the
   * page.
   */
  appConfig?: WebLLMAppConfig;
  /**
   * Overrides of the model's `mlc-chat-config.json`, web-llm's `ChatOptions` (e.g. `{ context_window_size: 2048 }`).
   */
  chatOptions?: object;
  onProgress?: (progress: LoadProgress) => void;
  /** Run web-llm in a module worker (default) or in the page. */
  useWorker?: boolean;
  /** Where web-llm's module is (`<base>webllm/index.js`); defaults to the runtime asset base. */
  assetBaseUrl?: string;
  /** An already imported web-llm module (tests); by default imported from the asset base. */
  webllm?: WebLLMModuleLike;
  /**
   * Creates the web-llm engine instead of the built-in page or worker one (tests pass a fake).
   * It returns an engine that has not loaded yet: this engine then calls `reload(modelId)`,
   * so that an abort can `unload()` it while it loads.
   */
  createEngine?: (modelId: string, config: WebLLMEngineConfig) => Promise<MLCEngineLike>;
  logLevel?: WebLLMLogLevel;
}

export interface WebLLMEngine extends TextEngine {
  load(options?: LoadOptions): Promise<void>;
  /** Unloads the model, frees the GPU memory and stops the worker. */
  dispose(): Promise<void>;
  /** Whether the loaded model runs in a worker. */
  readonly inWorker: boolean;
}

/** Options of the web-llm cache helpers. */
export interface WebLLMCacheOptions {
  /** Where web-llm's module is; defaults to the runtime asset base. */
  assetBaseUrl?: string;
  /** An already imported web-llm module (tests). */
  webllm?: WebLLMModuleLike;
}

/** The engine's implementation (webllm-implementation.ts): the runtime asset `engines/webllm.js` in a main file. */
function implementation(assetBaseUrl: string): Promise<WebLLMImplementation> {
  return importImplementation(
    () => importWebLLMImplementation(assetBaseUrl),
    'The GPU engine (web-llm)',
    `${assetBaseUrl}engines/webllm.js`,
    ['createWebLLMImplementation', 'isWebLLMModelCached', 'deleteWebLLMModel'],
  );
}

/**
 * A chat model on the GPU through WebGPU with `@mlc-ai/web-llm`, in a module worker by default.
 * The factory is light: the engine's implementation (webllm-implementation.ts, the runtime
 * asset `engines/webllm.js`) and web-llm's 6.8 MB module are imported only when the model loads.
 */
export function createWebLLMEngine(settings: WebLLMEngineSettings): WebLLMEngine {
  let running: Promise<WebLLMEngine> | undefined;
  let loaded: WebLLMEngine | undefined;

  // Imported on the first load; a failed import may be retried by the next one.
  const start = (): Promise<WebLLMEngine> =>
    (running ??= (async () => {
      // Resolved when loading: the asset base may be set after the engine was created.
      const assetBaseUrl = assetBaseFor(settings.assetBaseUrl);
      const { createWebLLMImplementation } = await implementation(assetBaseUrl);
      return (loaded = createWebLLMImplementation({ ...settings, assetBaseUrl }));
    })().catch((error: unknown) => {
      running = undefined;
      throw error;
    }));

  return {
    specificationVersion: 'v1',
    engineId: 'webllm',
    modelId: settings.modelId,
    kind: 'local',
    get inWorker() {
      return loaded?.inWorker ?? false;
    },

    async availability(): Promise<Availability> {
      if (loaded) return loaded.availability();
      return webgpuAdapterAvailability();
    },

    async load(options: LoadOptions = {}): Promise<void> {
      await (await start()).load(options);
    },

    async doStream(options: TextCallOptions): Promise<TextStreamResult> {
      return (await start()).doStream(options);
    },

    async dispose(): Promise<void> {
      // A load still importing the implementation is disposed once it has it.
      const engine = await running?.catch(() => undefined);
      await engine?.dispose();
    },
  };
}

/** Whether the model's weights are all in web-llm's cache (so loading needs no download). */
export async function isWebLLMModelCached(
  modelId: string,
  appConfig?: WebLLMAppConfig,
  options: WebLLMCacheOptions = {},
): Promise<boolean> {
  const assetBaseUrl = assetBaseFor(options.assetBaseUrl);
  return (await implementation(assetBaseUrl)).isWebLLMModelCached(modelId, appConfig, { ...options, assetBaseUrl });
}

/** Deletes everything web-llm cached for the model: weights, tokenizer, model library and config. */
export async function deleteWebLLMModel(
  modelId: string,
  appConfig?: WebLLMAppConfig,
  options: WebLLMCacheOptions = {},
): Promise<void> {
  const assetBaseUrl = assetBaseFor(options.assetBaseUrl);
  return (await implementation(assetBaseUrl)).deleteWebLLMModel(modelId, appConfig, { ...options, assetBaseUrl });
}
