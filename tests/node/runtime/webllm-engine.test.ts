import type * as WebLLM from '@mlc-ai/web-llm';
import {
  absoluteAppConfig,
  AiError,
  createFallbackEngine,
  createWebLLMEngine,
  deleteWebLLMModel,
  isWebLLMModelCached,
  streamText,
  toWebLLMError,
  type ChatMessage,
  type LoadProgress,
  type MLCEngineLike,
  type TextCallOptions,
  type TextEngine,
  type TextStreamPart,
  type WebLLMAppConfig,
  type WebLLMChatRequest,
  type WebLLMChunk,
  type WebLLMEngineConfig,
  type WebLLMModuleLike,
  type WebLLMProgressReport,
} from '@ai-blocks/runtime';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';

// The engine's view of web-llm must stay a subset of the real package's types (checked by tsc).
expectTypeOf<typeof WebLLM>().toExtend<WebLLMModuleLike>();
expectTypeOf<WebLLM.MLCEngine>().toExtend<MLCEngineLike>();
expectTypeOf<WebLLM.WebWorkerMLCEngine>().toExtend<MLCEngineLike>();
expectTypeOf<typeof WebLLM.prebuiltAppConfig>().toExtend<WebLLMAppConfig>();
expectTypeOf<WebLLM.InitProgressReport>().toExtend<WebLLMProgressReport>();
expectTypeOf<WebLLM.ChatCompletionChunk>().toExtend<WebLLMChunk>();
expectTypeOf<WebLLMChatRequest>().toExtend<WebLLM.ChatCompletionRequestStreaming>();
expectTypeOf<WebLLMEngineConfig>().toExtend<WebLLM.MLCEngineConfig>();

const APP_CONFIG: WebLLMAppConfig = {
  model_list: [
    {
      model: 'https://models.test/tiny/',
      model_id: 'tiny-MLC',
      model_lib: 'https://models.test/libs/tiny-webgpu.wasm',
    },
  ],
};

/** A web-llm error the way web-llm builds it in the page (its classes only set `name`). */
function webllmError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface FakeScript {
  /** Progress reports sent during reload, in order. */
  progress?: WebLLMProgressReport[];
  /** Makes reload fail with this (an Error in the page, a string through a worker). */
  reloadError?: unknown;
  /** Reload waits until unload() (web-llm's abort), then returns without error. */
  hangReload?: boolean;
  /** The reply, one chunk per piece. */
  reply?: string[];
  /** Throws this at chunk `failAt` (0: before any output). */
  generateError?: unknown;
  failAt?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/**
 * A fake MLC engine that behaves like web-llm 0.2.86 where the engine depends on it: one
 * generation at a time under a lock held until the stream ends, an interrupt flag that is
 * cleared when a generation starts, `finish_reason: 'abort'` after an interrupt, and a final
 * usage chunk with no choices.
 */
class FakeMLCEngine implements MLCEngineLike {
  readonly reloads: string[] = [];
  readonly requests: WebLLMChatRequest[] = [];
  unloads = 0;
  interrupts = 0;
  terminated = 0;
  readonly worker = { terminate: () => (this.terminated += 1) };
  private interrupted = false;
  private lock: Promise<void> = Promise.resolve();
  private unloaded: (() => void) | undefined;
  readonly chat = { completions: { create: (request: WebLLMChatRequest) => Promise.resolve(this.generate(request)) } };

  constructor(
    private readonly config: WebLLMEngineConfig,
    private readonly script: FakeScript,
  ) {}

  async reload(modelId: string): Promise<void> {
    this.reloads.push(modelId);
    for (const report of this.script.progress ?? []) {
      await Promise.resolve();
      this.config.initProgressCallback(report);
    }
    if (this.script.hangReload) await new Promise<void>((resolve) => (this.unloaded = resolve));
    // Through a worker web-llm rejects with a string, so the fake may too.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (this.script.reloadError !== undefined) throw this.script.reloadError;
  }

  unload(): Promise<void> {
    this.unloads += 1;
    this.unloaded?.();
    return Promise.resolve();
  }

  interruptGenerate(): void {
    this.interrupts += 1;
    this.interrupted = true;
  }

  // A method, so the flag is read afresh after each await.
  private wasInterrupted(): boolean {
    return this.interrupted;
  }

  private async *generate(request: WebLLMChatRequest): AsyncGenerator<WebLLMChunk> {
    this.requests.push(request);
    let release: () => void = () => undefined;
    const previous = this.lock;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      this.interrupted = false;
      const reply = this.script.reply ?? [];
      let finish = 'stop';
      for (let index = 0; index < reply.length; index += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (this.script.generateError !== undefined && index === (this.script.failAt ?? 0)) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw this.script.generateError;
        }
        if (this.wasInterrupted()) {
          finish = 'abort';
          break;
        }
        yield { choices: [{ delta: { content: reply[index] ?? '' }, finish_reason: null }] };
      }
      yield { choices: [{ delta: {}, finish_reason: finish }] };
      yield { choices: [], usage: this.script.usage ?? { prompt_tokens: 7, completion_tokens: reply.length } };
    } finally {
      release();
    }
  }
}

function fakeWebLLM(
  script: FakeScript,
  settings: { appConfig?: WebLLMAppConfig; onProgress?: (progress: LoadProgress) => void } = {},
) {
  const created: { engine: FakeMLCEngine; config: WebLLMEngineConfig }[] = [];
  const engine = createWebLLMEngine({
    modelId: 'tiny-MLC',
    appConfig: settings.appConfig ?? APP_CONFIG,
    ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
    createEngine: (_modelId, config) => {
      const fake = new FakeMLCEngine(config, script);
      created.push({ engine: fake, config });
      return Promise.resolve(fake);
    },
  });
  const last = () => {
    const entry = created.at(-1);
    if (!entry) throw new Error('no MLC engine was created');
    return entry.engine;
  };
  return { engine, created, last };
}

async function collect(
  engine: TextEngine,
  options: { messages?: ChatMessage[]; abortAfterChars?: number; maxOutputTokens?: number; system?: string } = {},
) {
  const controller = new AbortController();
  const run = streamText({
    engine,
    messages: options.messages ?? [{ role: 'user', content: 'hi' }],
    abortSignal: controller.signal,
    ...(options.system ? { system: options.system } : {}),
    ...(options.maxOutputTokens ? { maxOutputTokens: options.maxOutputTokens } : {}),
  });
  const deltas: string[] = [];
  for await (const delta of run.textStream) {
    deltas.push(delta);
    if (options.abortAfterChars !== undefined && deltas.join('').length >= options.abortAfterChars) controller.abort();
  }
  return { deltas, outcome: await run.outcome };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('web-llm engine (with a fake MLC engine)', () => {
  it('streams the deltas and the final usage through streamText, sending an OpenAI-shaped request', async () => {
    const { engine, last } = fakeWebLLM({
      reply: ['Hel', 'lo', ', wor', 'ld'],
      usage: { prompt_tokens: 12, completion_tokens: 4 },
    });
    expect(engine).toMatchObject({
      engineId: 'webllm',
      modelId: 'tiny-MLC',
      kind: 'local',
      specificationVersion: 'v1',
    });
    const { deltas, outcome } = await collect(engine, { system: 'Be brief.', maxOutputTokens: 64 });
    expect(deltas).toEqual(['Hel', 'lo', ', wor', 'ld']);
    expect(outcome).toEqual({
      status: 'complete',
      text: 'Hello, world',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 4 },
    });
    expect(last().reloads).toEqual(['tiny-MLC']);
    expect(last().requests).toEqual([
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 64,
      },
    ]);
    // A second answer reuses the loaded model.
    expect((await collect(engine)).outcome.text).toBe('Hello, world');
    expect(last().reloads).toHaveLength(1);
  });

  it('reports the finish reason `length`', async () => {
    const { engine, last } = fakeWebLLM({ reply: ['a', 'b'] });
    await engine.load();
    const original = last().chat.completions.create;
    last().chat.completions.create = async (request) => {
      const chunks = await original(request);
      return (async function* () {
        for await (const chunk of chunks)
          yield chunk.choices[0]?.finish_reason === 'stop'
            ? { ...chunk, choices: [{ delta: {}, finish_reason: 'length' }] }
            : chunk;
      })();
    };
    expect((await collect(engine)).outcome).toMatchObject({ status: 'complete', text: 'ab', finishReason: 'length' });
  });

  it('turns a mid-stream abort into interruptGenerate(), ends aborted with partial text, answers again', async () => {
    const reply = 'abcdefghijklmnopqrstuvwxyz'.split('');
    const { engine, last } = fakeWebLLM({ reply });
    const { outcome } = await collect(engine, { abortAfterChars: 3 });
    expect(outcome.status).toBe('aborted');
    expect(outcome.text.length).toBeGreaterThanOrEqual(3);
    expect(outcome.text.length).toBeLessThan(reply.length);
    expect(reply.join('').startsWith(outcome.text)).toBe(true);
    expect(last().interrupts).toBeGreaterThanOrEqual(1);
    // The interrupted generation was drained, so web-llm's lock is free again.
    const again = await collect(engine);
    expect(again.outcome).toMatchObject({ status: 'complete', text: reply.join('') });
  });

  it('interrupts and drains an answer whose reader cancels, so web-llm’s lock is free for the next one', async () => {
    const reply = 'abcdefghijklmnopqrstuvwxyz'.split('');
    const { engine, last } = fakeWebLLM({ reply });
    const reader = (await engine.doStream({ messages: [{ role: 'user', content: 'hi' }] })).stream.getReader();
    expect(await reader.read()).toEqual({ done: false, value: { type: 'text-delta', delta: 'a' } });
    await reader.cancel();
    expect(last().interrupts).toBeGreaterThanOrEqual(1);
    const started = Date.now();
    expect((await collect(engine)).outcome).toMatchObject({ status: 'complete', text: reply.join('') });
    // Not by waiting out the engine's safety timeout.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ends as aborted when the signal fires before the first token', async () => {
    const { engine } = fakeWebLLM({ reply: ['x', 'y'] });
    await engine.load();
    const controller = new AbortController();
    const run = streamText({ engine, messages: [{ role: 'user', content: 'hi' }], abortSignal: controller.signal });
    controller.abort();
    expect(await run.outcome).toEqual({ status: 'aborted', text: '' });
  });

  it('refuses a second answer while one is streaming', async () => {
    const { engine } = fakeWebLLM({ reply: ['a', 'b', 'c'] });
    const { stream: first } = await engine.doStream({ messages: [{ role: 'user', content: 'hi' }] });
    await expect(engine.doStream({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
    });
    const parts: TextStreamPart[] = [];
    for await (const part of first) parts.push(part);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 7, outputTokens: 3 } });
  });

  it('maps web-llm’s load progress to a bar that never goes back and ends at 1', async () => {
    const progress: LoadProgress[] = [];
    const perLoad: LoadProgress[] = [];
    const reports: WebLLMProgressReport[] = [
      { progress: 0, timeElapsed: 0, text: 'Start to fetch params' },
      {
        progress: 0.5,
        timeElapsed: 1,
        text: 'Fetching param cache[1/2]: 10MB fetched. 50% completed, 1 secs elapsed.',
      },
      { progress: 1, timeElapsed: 2, text: 'Fetching param cache[2/2]: 20MB fetched. 100% completed, 2 secs elapsed.' },
      // web-llm starts again at 0 for each phase.
      { progress: 0, timeElapsed: 2, text: 'Loading model from cache[0/2]: 0MB loaded. 0% completed, 2 secs elapsed.' },
      {
        progress: 1,
        timeElapsed: 3,
        text: 'Loading model from cache[2/2]: 20MB loaded. 100% completed, 3 secs elapsed.',
      },
      { progress: 0.3, timeElapsed: 3, text: 'Loading GPU shader modules[3/10]: 30% completed, 3 secs elapsed.' },
      { progress: 1, timeElapsed: 4, text: 'Loading GPU shader modules[10/10]: 100% completed, 4 secs elapsed.' },
      { progress: 1, timeElapsed: 4, text: 'Finish loading on WebGPU - google' },
    ];
    const { engine } = fakeWebLLM({ progress: reports }, { onProgress: (update) => progress.push(update) });
    await engine.load({ onProgress: (update) => perLoad.push(update) });
    expect(perLoad).toEqual(progress);
    expect(progress.length).toBe(reports.length + 2);
    for (let index = 1; index < progress.length; index += 1)
      expect(progress[index]?.fraction).toBeGreaterThanOrEqual(progress[index - 1]?.fraction ?? 0);
    expect(progress.slice(0, -1).every((update) => update.fraction < 1)).toBe(true);
    expect(progress.at(-1)).toEqual({ fraction: 1, text: 'Finish loading on WebGPU - google' });
    expect(progress[2]?.fraction).toBeCloseTo(0.425);
    expect(progress.map((update) => update.text)).toContain(
      'Loading GPU shader modules[3/10]: 30% completed, 3 secs elapsed.',
    );
    expect(await engine.availability()).toBe('available');
  });

  it('turns an abort while loading into unload(), stops the worker, and can load afterwards', async () => {
    const script: FakeScript = { hangReload: true };
    const { engine, created, last } = fakeWebLLM(script);
    const controller = new AbortController();
    const loading = engine.load({ abortSignal: controller.signal });
    await vi.waitFor(() => {
      expect(last().reloads).toHaveLength(1);
    });
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(last().unloads).toBeGreaterThanOrEqual(1);
    await vi.waitFor(() => {
      expect(last().terminated).toBe(1);
    });
    script.hangReload = false;
    await engine.load();
    expect(created).toHaveLength(2);
    expect(await engine.availability()).toBe('available');
  });

  it('stops a load under way when disposed, without installing the model', async () => {
    const { engine, last } = fakeWebLLM({ hangReload: true });
    const loading = engine.load();
    await vi.waitFor(() => {
      expect(last().reloads).toHaveLength(1);
    });
    await engine.dispose();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(last().unloads).toBeGreaterThanOrEqual(1);
    expect(await engine.availability().catch(() => 'unavailable')).not.toBe('available');
  });

  it('stops a load disposed before the engine’s implementation has even been imported', async () => {
    const { engine, created } = fakeWebLLM({});
    // No await between the two: the implementation (a runtime asset in a main file) is still on its way.
    const loading = engine.load();
    await engine.dispose();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(created.every(({ engine: fake }) => fake.reloads.length === 0 || fake.unloads > 0)).toBe(true);
    expect(await engine.availability().catch(() => 'unavailable')).not.toBe('available');
  });

  it('reports an engine that cannot be created as ENGINE_UNAVAILABLE', async () => {
    const failure = new DOMException('Module scripts are not supported in workers', 'SecurityError');
    const engine = createWebLLMEngine({
      modelId: 'tiny-MLC',
      appConfig: APP_CONFIG,
      createEngine: () => Promise.reject(failure),
    });
    await expect(engine.load()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', cause: failure });
  });

  it('passes absolute model URLs to web-llm, resolved against the page', async () => {
    vi.stubGlobal('location', { href: 'http://127.0.0.1:9000/app/page.html' });
    const { engine, created } = fakeWebLLM(
      {},
      { appConfig: { model_list: [{ model: '/mlc/tiny/', model_id: 'tiny-MLC', model_lib: 'libs/tiny.wasm' }] } },
    );
    await engine.load();
    expect(created[0]?.config.appConfig.model_list).toEqual([
      {
        model: 'http://127.0.0.1:9000/mlc/tiny/',
        model_id: 'tiny-MLC',
        model_lib: 'http://127.0.0.1:9000/app/libs/tiny.wasm',
      },
    ]);
    expect(absoluteAppConfig(APP_CONFIG, 'http://elsewhere.test/')).toEqual(APP_CONFIG);
  });

  it('is unavailable without WebGPU or without an adapter, downloadable with one', async () => {
    const { engine } = fakeWebLLM({});
    vi.stubGlobal('navigator', {});
    expect(await engine.availability()).toBe('unavailable');
    vi.stubGlobal('navigator', { gpu: { requestAdapter: () => Promise.resolve(null) } });
    expect(await engine.availability()).toBe('unavailable');
    vi.stubGlobal('navigator', { gpu: { requestAdapter: () => Promise.resolve({}) } });
    expect(await engine.availability()).toBe('downloadable');
  });
});

describe('web-llm error mapping', () => {
  const loadFailures: [string, unknown, string][] = [
    [
      'no WebGPU (page)',
      webllmError('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'),
      'ENGINE_UNAVAILABLE',
    ],
    [
      'no WebGPU (through the worker)',
      'WebGPUNotAvailableError: WebGPU is not supported in your current environment',
      'ENGINE_UNAVAILABLE',
    ],
    [
      'no shader-f16',
      webllmError('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16'),
      'ENGINE_UNAVAILABLE',
    ],
    [
      'device lost while loading',
      'DeviceLostError: The WebGPU device was lost while loading the model.',
      'DEVICE_LOST',
    ],
    [
      'unknown model id',
      webllmError('ModelNotFoundError', 'Cannot find model record in appConfig for nope.'),
      'MODEL_NOT_FOUND',
    ],
    [
      'model not loaded',
      'WorkerEngineModelNotLoadedError: WebWorkerMLCEngine is not loaded with a model.',
      'MODEL_LOAD_FAILED',
    ],
    ['not a model library', "TypeError: Cannot read properties of undefined (reading 'buffer')", 'MODEL_LOAD_FAILED'],
    ['damaged file', webllmError('IntegrityError', 'Integrity verification failed for x'), 'MODEL_LOAD_FAILED'],
    ['download failed', new TypeError('Failed to fetch'), 'MODEL_LOAD_FAILED'],
    [
      'file missing',
      'Error: ArtifactOPFSCache: Unable to fetch https://m.test/x, received status 404',
      'MODEL_NOT_FOUND',
    ],
    ['storage full', 'QuotaExceededError: The quota has been exceeded.', 'STORAGE_FULL'],
  ];

  for (const [what, failure, code] of loadFailures) {
    it(`load: ${what} → ${code}, keeping the original as cause`, async () => {
      const { engine, last } = fakeWebLLM({ reloadError: failure });
      const error = await engine.load().catch((caught: unknown) => caught);
      expect(AiError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code });
      expect((error as AiError).cause).toBe(failure);
      // The failed engine was let go.
      expect(last().terminated).toBe(1);
    });
  }

  it('a failed download is worth retrying, a missing GPU is not', () => {
    expect(toWebLLMError(new TypeError('Failed to fetch'), 'load').retryable).toBe(true);
    expect(toWebLLMError('WebGPUNotAvailableError: no', 'load').retryable).toBe(false);
    expect(toWebLLMError('DeviceLostError: lost', 'generate').retryable).toBe(true);
  });

  it('generation: a prompt over the context window rejects before any output as INPUT_TOO_LONG', async () => {
    const failure = webllmError(
      'ContextWindowSizeExceededError',
      'Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096',
    );
    const { engine } = fakeWebLLM({ reply: ['a', 'b'], generateError: failure, failAt: 0 });
    await expect(engine.doStream({ messages: [{ role: 'user', content: 'long' }] })).rejects.toMatchObject({
      code: 'INPUT_TOO_LONG',
      cause: failure,
    });
    const { outcome } = await collect(engine);
    expect(outcome).toMatchObject({ status: 'error', text: '', error: { code: 'INPUT_TOO_LONG' } });
  });

  it('generation: a device lost mid-stream ends with DEVICE_LOST and the partial text, then reloads', async () => {
    const script: FakeScript = {
      reply: ['a', 'b', 'c', 'd'],
      generateError: 'Error: GPU device was lost: destroyed',
      failAt: 2,
    };
    const { engine, created } = fakeWebLLM(script);
    const { outcome } = await collect(engine);
    expect(outcome).toMatchObject({ status: 'error', text: 'ab', error: { code: 'DEVICE_LOST', retryable: true } });
    // The broken model was dropped; the next call loads a fresh one.
    script.generateError = undefined;
    expect((await collect(engine)).outcome.text).toBe('abcd');
    expect(created).toHaveLength(2);
  });

  it('generation: a request option web-llm rejects is INVALID_REQUEST; anything else INTERNAL', () => {
    expect(toWebLLMError(webllmError('RangeError', 'Make sure 0 < temperature <= 2.'), 'generate').code).toBe(
      'INVALID_REQUEST',
    );
    expect(toWebLLMError(new Error('something odd'), 'generate').code).toBe('INTERNAL');
  });
});

describe('web-llm cache helpers', () => {
  function fakeModule(cached: Set<string>) {
    const calls: { fn: string; modelId: string; appConfig: WebLLMAppConfig | undefined }[] = [];
    const prebuilt: WebLLMAppConfig = {
      model_list: [{ model: 'https://hf.test/a/', model_id: 'a-MLC', model_lib: 'https://libs.test/a.wasm' }],
    };
    const find = (modelId: string, appConfig: WebLLMAppConfig | undefined) => {
      if (!appConfig?.model_list.some((record) => record.model_id === modelId))
        throw webllmError('ModelNotFoundError', `Cannot find model record in appConfig for ${modelId}.`);
    };
    const module: WebLLMModuleLike = {
      prebuiltAppConfig: prebuilt,
      // The cache helpers never create an engine.
      MLCEngine: vi.fn(),
      WebWorkerMLCEngine: vi.fn(),
      hasModelInCache: (modelId, appConfig) => {
        calls.push({ fn: 'has', modelId, appConfig });
        find(modelId, appConfig);
        return Promise.resolve(cached.has(modelId));
      },
      deleteModelAllInfoInCache: (modelId, appConfig) => {
        calls.push({ fn: 'delete', modelId, appConfig });
        find(modelId, appConfig);
        cached.delete(modelId);
        return Promise.resolve();
      },
    };
    return { module, calls, prebuilt };
  }

  it('wrap hasModelInCache and deleteModelAllInfoInCache, defaulting to the prebuilt app config', async () => {
    const { module, calls, prebuilt } = fakeModule(new Set(['a-MLC']));
    expect(await isWebLLMModelCached('a-MLC', undefined, { webllm: module })).toBe(true);
    await deleteWebLLMModel('a-MLC', undefined, { webllm: module });
    expect(await isWebLLMModelCached('a-MLC', undefined, { webllm: module })).toBe(false);
    expect(calls.map((call) => [call.fn, call.modelId, call.appConfig])).toEqual([
      ['has', 'a-MLC', prebuilt],
      ['delete', 'a-MLC', prebuilt],
      ['has', 'a-MLC', prebuilt],
    ]);
  });

  it('report an unknown model as MODEL_NOT_FOUND', async () => {
    const { module } = fakeModule(new Set());
    await expect(isWebLLMModelCached('nope', APP_CONFIG, { webllm: module })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
    await expect(deleteWebLLMModel('nope', APP_CONFIG, { webllm: module })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });
});

/** A scripted TextEngine that records what it was asked. */
function scriptedEngine(engineId: string, modelId: string, reply: string[]) {
  const calls: TextCallOptions[] = [];
  let loads = 0;
  let disposed = 0;
  const engine: TextEngine = {
    specificationVersion: 'v1',
    engineId,
    modelId,
    kind: 'local',
    availability: () => Promise.resolve('downloadable'),
    load: (options) => {
      loads += 1;
      options?.onProgress?.({ fraction: 0, text: 'fallback starting' });
      options?.onProgress?.({ fraction: 1, text: 'fallback ready' });
      return Promise.resolve();
    },
    doStream: (options) => {
      calls.push(options);
      return Promise.resolve({
        stream: new ReadableStream<TextStreamPart>({
          start(controller) {
            for (const delta of reply) controller.enqueue({ type: 'text-delta', delta });
            controller.enqueue({ type: 'finish', finishReason: 'stop' });
            controller.close();
          },
        }),
      });
    },
    dispose: () => {
      disposed += 1;
      return Promise.resolve();
    },
  };
  return { engine, calls, loads: () => loads, disposed: () => disposed };
}

describe('fallback engine', () => {
  it('loads the fallback when the primary cannot load, reports why, and reports the fallback as engine', async () => {
    const { engine: primary } = fakeWebLLM({
      progress: [{ progress: 0.4, timeElapsed: 0, text: 'Fetching param cache[1/4]' }],
      reloadError: 'WebGPUNotAvailableError: WebGPU is not supported',
    });
    const cpu = scriptedEngine('wasm', 'ai-blocks-tiny', ['a', 'b', 'c']);
    const reasons: AiError[] = [];
    let made = 0;
    const engine = createFallbackEngine({
      primary,
      fallback: () => {
        made += 1;
        return cpu.engine;
      },
      onFallback: (reason) => reasons.push(reason),
    });
    expect([engine.engineId, engine.modelId, engine.fallbackReason]).toEqual(['webllm', 'tiny-MLC', undefined]);
    const progress: LoadProgress[] = [];
    await engine.load({ onProgress: (update) => progress.push(update) });
    expect(reasons.map((reason) => reason.code)).toEqual(['ENGINE_UNAVAILABLE']);
    expect(engine.fallbackReason?.code).toBe('ENGINE_UNAVAILABLE');
    expect(engine.fallbackReason?.cause).toBe('WebGPUNotAvailableError: WebGPU is not supported');
    expect([engine.engineId, engine.modelId, engine.active]).toEqual(['wasm', 'ai-blocks-tiny', cpu.engine]);
    for (let index = 1; index < progress.length; index += 1)
      expect(progress[index]?.fraction).toBeGreaterThanOrEqual(progress[index - 1]?.fraction ?? 0);
    expect(progress.at(-1)).toEqual({ fraction: 1, text: 'fallback ready' });
    const { outcome } = await collect(engine);
    expect(outcome).toMatchObject({ status: 'complete', text: 'abc' });
    expect([made, reasons.length, cpu.loads()]).toEqual([1, 1, 2]);
  });

  it('does not fall back when the load was aborted', async () => {
    const { engine: primary, last } = fakeWebLLM({ hangReload: true });
    let made = 0;
    const engine = createFallbackEngine({
      primary,
      fallback: () => ((made += 1), scriptedEngine('wasm', 'cpu', []).engine),
    });
    const controller = new AbortController();
    const loading = engine.load({ abortSignal: controller.signal });
    await vi.waitFor(() => {
      expect(last().reloads).toHaveLength(1);
    });
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect([made, engine.fallbackReason, engine.engineId]).toEqual([0, undefined, 'webllm']);
  });

  it('after a device lost mid-answer, the re-sent conversation goes to the fallback', async () => {
    const { engine: primary } = fakeWebLLM({
      reply: ['Hel', 'lo', ' there'],
      generateError: 'DeviceLostError: The WebGPU device was lost.',
      failAt: 2,
    });
    const cpu = scriptedEngine('wasm', 'ai-blocks-tiny', ['Hello', ' again']);
    const reasons: AiError[] = [];
    const engine = createFallbackEngine({
      primary,
      fallback: () => cpu.engine,
      onFallback: (reason) => reasons.push(reason),
    });
    const messages: ChatMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'and again?' },
    ];
    const first = await collect(engine, { messages });
    expect(first.outcome).toMatchObject({ status: 'error', text: 'Hello', error: { code: 'DEVICE_LOST' } });
    expect(engine.fallbackReason?.code).toBe('DEVICE_LOST');
    expect(engine.engineId).toBe('wasm');
    const second = await collect(engine, { messages });
    expect(second.outcome).toMatchObject({ status: 'complete', text: 'Hello again' });
    expect(cpu.calls.map((call) => call.messages)).toEqual([messages]);
    expect(reasons).toHaveLength(1);
  });

  it('answers on the fallback at once when the device is lost before any output', async () => {
    const { engine: primary } = fakeWebLLM({
      reply: ['x'],
      generateError: webllmError('DeviceLostError', 'The WebGPU device was lost.'),
      failAt: 0,
    });
    const cpu = scriptedEngine('wasm', 'ai-blocks-tiny', ['fine']);
    const engine = createFallbackEngine({ primary, fallback: () => cpu.engine });
    const { outcome } = await collect(engine);
    expect(outcome).toMatchObject({ status: 'complete', text: 'fine' });
    expect(engine.fallbackReason?.code).toBe('DEVICE_LOST');
    expect(cpu.calls).toHaveLength(1);
  });

  it('keeps the primary on other errors; its availability is reported, the fallback’s if it cannot run', async () => {
    const failure = webllmError('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size');
    const { engine: primary } = fakeWebLLM({ reply: ['x'], generateError: failure, failAt: 0 });
    const cpu = scriptedEngine('wasm', 'cpu', ['y']);
    const engine = createFallbackEngine({ primary, fallback: () => cpu.engine });
    expect((await collect(engine)).outcome).toMatchObject({ status: 'error', error: { code: 'INPUT_TOO_LONG' } });
    expect([engine.engineId, engine.fallbackReason, cpu.calls.length]).toEqual(['webllm', undefined, 0]);
    vi.stubGlobal('navigator', {});
    const fresh = createFallbackEngine({ primary: fakeWebLLM({}).engine, fallback: () => cpu.engine });
    expect(await fresh.availability()).toBe('downloadable');
    await engine.dispose();
    expect(cpu.disposed()).toBe(0);
  });
});
