/**
 * The engine interface: what every engine implements, whether the model is behind an API,
 * behind the host, or inside the browser. Engines import only this folder.
 * Modelled on the AI SDK's provider spec, deliberately smaller.
 */

/** Where the model runs. */
export type EngineKind = 'cloud' | 'embedder' | 'local';

/** Whether an engine can run now, after a download, or not at all here. */
export type Availability = 'available' | 'downloadable' | 'unavailable';

export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'error' | 'abort' | 'other';

/** Progress of a model download or load: bytes where known, `fraction` in [0, 1], never decreasing. */
export interface LoadProgress {
  fraction: number;
  loadedBytes?: number;
  totalBytes?: number;
  /** What is happening, for people ("Downloading model", "Compiling shaders"). */
  text: string;
}

export interface LoadOptions {
  abortSignal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

export interface TextCallOptions {
  messages: ChatMessage[];
  system?: string;
  temperature?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  abortSignal?: AbortSignal;
}

/** One part of an engine's stream. Errors travel in the stream, not as rejections. */
export type TextStreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; finishReason: FinishReason; usage?: Usage }
  | { type: 'error'; error: unknown };

interface EngineHeader {
  readonly specificationVersion: 'v1';
  /** e.g. 'openai-compatible', 'anthropic', 'service-module', 'webllm', 'wasm'. */
  readonly engineId: string;
  readonly modelId: string;
  readonly kind: EngineKind;
  availability(): Promise<Availability>;
  /** For local models: download (with progress) and load. Cloud engines may omit it. */
  load?(options?: LoadOptions): Promise<void>;
  dispose?(): Promise<void>;
}

/** Something about a call a person or developer should know, though it did not fail. */
export interface CallWarning {
  /** `unsupported-setting`: the engine ignored an option it cannot honour. */
  type: 'unsupported-setting';
  /** The option, as named in the call options (`stopSequences`, `temperature`, `seed`). */
  setting: string;
  details?: string;
}

/** What `doStream` returns: the stream, and room for what else a call reports. */
export interface TextStreamResult {
  stream: ReadableStream<TextStreamPart>;
  /** Options the engine ignored, and the like. */
  warnings?: CallWarning[];
  /** What the server said about the response, where there was one. */
  response?: { id?: string; modelId?: string; headers?: Record<string, string> };
}

export interface TextEngine extends EngineHeader {
  /**
   * Starts a streamed completion. Rejects only for failures before any output (then with an
   * AiError, or an abort); after that, failures arrive as `{type: 'error'}` parts.
   */
  doStream(options: TextCallOptions): Promise<TextStreamResult>;
}

export interface ImageCallOptions {
  prompt: string;
  n?: number;
  /** e.g. '1024x1024'. */
  size?: string;
  quality?: string;
  style?: string;
  abortSignal?: AbortSignal;
  /** Step progress for engines that can report it (in-browser diffusion). */
  onProgress?: (progress: { step: number; totalSteps: number }) => void;
  /** Engines that sample locally: the same prompt, seed and model give the same image. */
  seed?: number;
  /** Denoising steps, for engines that run them (in-browser diffusion). */
  steps?: number;
}

export interface GeneratedImage {
  bytes: Uint8Array;
  mediaType: string;
  revisedPrompt?: string;
  /** The seed it was made with, where the engine samples locally (to make it again). */
  seed?: number;
  /**
   * The model the service says made it, where its answer names one (gateways may serve another
   * than the one asked for); absent when it names none.
   */
  modelId?: string;
}

export interface ImageEngine extends EngineHeader {
  doGenerate(options: ImageCallOptions): Promise<{ images: GeneratedImage[] }>;
}
