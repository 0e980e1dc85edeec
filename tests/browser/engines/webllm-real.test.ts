import {
  AiError,
  createFallbackEngine,
  createWasmEngine,
  createWebLLMEngine,
  deleteWebLLMModel,
  isWebLLMModelCached,
  runtimeAssetUrl,
  streamText,
  type LoadProgress,
  type TextEngine,
  type WebLLMAppConfig,
  type WebLLMModuleLike,
} from '@ai-blocks/runtime';
import { generateLlamaGguf, TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';

// The real @mlc-ai/web-llm 0.2.86 (served as /runtime-assets/webllm/index.js) against the fake
// model in tests/fixtures/mlc: its model library is a valid but empty wasm module, so web-llm
// gets as far as instantiating it with TVM's runtime, which fails. No real model library can be
// built here (that needs TVM/MLC-LLM), so this is as far as web-llm can run in these tests.

const MODEL_ID = 'ai-blocks-tiny-MLC';
// Relative on purpose: web-llm throws `Invalid URL` on a relative `model`, so the engine must
// resolve both against the page before web-llm (and its Blob-URL worker) sees them.
const APP_CONFIG: WebLLMAppConfig = {
  model_list: [
    { model: '/tests/fixtures/mlc/tiny/', model_id: MODEL_ID, model_lib: '/tests/fixtures/mlc/libs/tiny-webgpu.wasm' },
  ],
};
const CONFIG_URL = new URL('/tests/fixtures/mlc/tiny/resolve/main/mlc-chat-config.json', location.href).href;
// What TVM's runtime throws when the model library is not a TVM module.
const NOT_A_MODEL_LIBRARY = /Cannot read properties of undefined \(reading 'buffer'\)/;

const engines: TextEngine[] = [];
function track<T extends TextEngine>(engine: T): T {
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.all(
    engines.splice(0).map(async (engine) => {
      await engine.dispose?.();
    }),
  );
});

async function webllmConfigCached(): Promise<boolean> {
  return (await (await caches.open('webllm/config')).match(CONFIG_URL)) !== undefined;
}

const tinyCpuEngine = () =>
  createWasmEngine({ model: new Blob([generateLlamaGguf().slice().buffer]), modelId: 'ai-blocks-tiny' });

describe('web-llm engine on the real web-llm package (no GPU model library exists here)', () => {
  before(async () => {
    await Promise.all(['webllm/config', 'webllm/wasm', 'webllm/model'].map((name) => caches.delete(name)));
  });

  it('reports its availability from the WebGPU adapter this browser has', async () => {
    const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter().catch(() => null) : null;
    const engine = track(createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG }));
    expect(await engine.availability()).to.equal(adapter ? 'downloadable' : 'unavailable');
  });

  it('in its worker, fetches the config and fails at the model library with MODEL_LOAD_FAILED', async () => {
    const progress: LoadProgress[] = [];
    const engine = track(
      createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG, onProgress: (update) => progress.push(update) }),
    );
    expect(await webllmConfigCached()).to.equal(false);
    const error = await engine.load().catch((caught: unknown) => caught);
    expect(AiError.isInstance(error), String(error)).to.equal(true);
    expect((error as AiError).code).to.equal('MODEL_LOAD_FAILED');
    // Through a worker, web-llm rejects with the error's text.
    expect(String((error as AiError).cause)).to.match(NOT_A_MODEL_LIBRARY);
    expect(engine.inWorker).to.equal(true);
    // web-llm (in the worker) read the config by its absolute URL into its Cache API cache.
    expect(await webllmConfigCached()).to.equal(true);
    expect(progress[0]).to.deep.equal({ fraction: 0, text: 'Starting the GPU engine' });
    expect(progress.some((update) => update.fraction === 1)).to.equal(false);
    expect(await engine.availability()).to.not.equal('available');
  });

  it('falls back to the Wasm engine, which gives the tiny model’s exact reply, with the reason kept', async () => {
    const reasons: AiError[] = [];
    const engine = track(
      createFallbackEngine({
        primary: createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG }),
        fallback: tinyCpuEngine,
        onFallback: (reason) => reasons.push(reason),
      }),
    );
    expect(engine.engineId).to.equal('webllm');
    const run = streamText({ engine, messages: [{ role: 'user', content: 'hi' }], temperature: 0 });
    const outcome = await run.outcome;
    expect(outcome).to.deep.include({ status: 'complete', text: TINY_MODEL_EXPECTED.chatReply, finishReason: 'stop' });
    expect(engine.fallbackReason?.code).to.equal('MODEL_LOAD_FAILED');
    expect(String(engine.fallbackReason?.cause)).to.match(NOT_A_MODEL_LIBRARY);
    expect(reasons).to.deep.equal([engine.fallbackReason]);
    expect([engine.engineId, engine.modelId]).to.deep.equal(['wasm', 'ai-blocks-tiny']);
  });

  it('in the page (useWorker: false), fails the same way after fetching the model library', async () => {
    const engine = track(createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG, useWorker: false }));
    const error = await engine.load().catch((caught: unknown) => caught);
    expect((error as AiError).code).to.equal('MODEL_LOAD_FAILED');
    expect((error as AiError).cause).to.be.instanceOf(TypeError);
    expect(String((error as AiError).cause)).to.match(NOT_A_MODEL_LIBRARY);
    expect(engine.inWorker).to.equal(false);
    const fetched = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(fetched).to.include(new URL(APP_CONFIG.model_list[0]?.model_lib ?? '', location.href).href);
  });

  it('answers an abort while loading as an abort, and can load again', async () => {
    const engine = track(createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG }));
    const controller = new AbortController();
    const loading = engine.load({ abortSignal: controller.signal });
    // Abort once the worker runs, while web-llm there imports itself and reloads.
    for (let tries = 0; !engine.inWorker && tries < 200; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(engine.inWorker).to.equal(true);
    controller.abort();
    const error = await loading.catch((caught: unknown) => caught);
    expect((error as Error).name).to.equal('AbortError');
    expect(((await engine.load().catch((caught: unknown) => caught)) as AiError).code).to.equal('MODEL_LOAD_FAILED');
  });

  it('reports a worker that cannot import web-llm as ENGINE_UNAVAILABLE', async () => {
    // The page has web-llm; the worker is pointed at an asset base without it.
    const webllm = (await import(/* @vite-ignore */ runtimeAssetUrl('webllm/index.js'))) as WebLLMModuleLike;
    const engine = track(
      createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG, webllm, assetBaseUrl: '/no-such-assets/' }),
    );
    const error = await engine.load().catch((caught: unknown) => caught);
    expect((error as AiError).code).to.equal('ENGINE_UNAVAILABLE');
    expect((error as Error).message).to.contain('/no-such-assets/webllm/index.js');
  });

  it('wraps web-llm’s cache helpers', async () => {
    // A failed load leaves web-llm's config in its cache, but not the weight list.
    await caches.delete('webllm/model');
    await track(createWebLLMEngine({ modelId: MODEL_ID, appConfig: APP_CONFIG, useWorker: false }))
      .load()
      .catch(() => undefined);
    expect(await webllmConfigCached()).to.equal(true);
    expect(await isWebLLMModelCached(MODEL_ID, APP_CONFIG)).to.equal(false);
    // web-llm counts a model as cached when its weight list and every shard in it are; this
    // fake model's list is empty.
    await (
      await caches.open('webllm/model')
    ).add(new URL('/tests/fixtures/mlc/tiny/resolve/main/tensor-cache.json', location.href).href);
    expect(await isWebLLMModelCached(MODEL_ID, APP_CONFIG)).to.equal(true);
    await deleteWebLLMModel(MODEL_ID, APP_CONFIG);
    expect(await webllmConfigCached()).to.equal(false);
    const unknown = await isWebLLMModelCached('no-such-model', APP_CONFIG).catch((caught: unknown) => caught);
    expect((unknown as AiError).code).to.equal('MODEL_NOT_FOUND');
  });
});
