import {
  createWasmEngine,
  deleteCachedModel,
  MODEL_CACHE_NAME,
  streamText,
  type LoadProgress,
  type WasmEngine,
} from '@ai-blocks/runtime';
import { generateLlamaGguf, TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';

interface TestServers {
  fault: string;
}

let servers: TestServers;
const engines: WasmEngine[] = [];
before(async () => {
  servers = await executeServerCommand<TestServers, undefined>('test-servers');
});
after(async () => {
  await Promise.all(engines.map((engine) => engine.dispose()));
});

const modelUrl = (scenario: string, name = 'tiny.gguf') => `${servers.fault.replace('SCENARIO', scenario)}/${name}`;
const requestsFor = (scenario: string) =>
  executeServerCommand<string[], { scenario: string }>('test-server-requests', { scenario });

function track(engine: WasmEngine): WasmEngine {
  engines.push(engine);
  return engine;
}

async function chat(engine: WasmEngine, options: { maxOutputTokens?: number; abortAfterChars?: number } = {}) {
  const controller = new AbortController();
  const run = streamText({
    engine,
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0,
    abortSignal: controller.signal,
    ...(options.maxOutputTokens ? { maxOutputTokens: options.maxOutputTokens } : {}),
  });
  let text = '';
  for await (const delta of run.textStream) {
    text += delta;
    if (options.abortAfterChars !== undefined && text.length >= options.abortAfterChars) controller.abort();
  }
  return run.outcome;
}

describe('Wasm engine (llama.cpp in WebAssembly) on the generated tiny model', () => {
  it('loads from a URL with monotonic progress ending at 1, answers exactly and stops at end of sequence', async () => {
    const url = modelUrl('dl-1');
    await deleteCachedModel(url, MODEL_CACHE_NAME);
    const progress: LoadProgress[] = [];
    const engine = track(createWasmEngine({ model: url, onProgress: (update) => progress.push(update) }));
    expect(await engine.availability()).to.equal('downloadable');
    await engine.load();
    expect(await engine.availability()).to.equal('available');
    expect(progress.length).to.be.greaterThan(2);
    for (let index = 1; index < progress.length; index += 1)
      expect(progress[index]?.fraction ?? 0).to.be.at.least(progress[index - 1]?.fraction ?? 0);
    expect(progress.at(-1)?.fraction).to.equal(1);
    expect(progress.some((update) => update.totalBytes === generateLlamaGguf().length)).to.equal(true);
    expect(engine.threads).to.equal(1); // this page is not cross-origin isolated
    // Headless Chromium without WebGPU flags has no adapter: the GGUF runs on the CPU, and says so.
    expect(engine.backend).to.equal('cpu');
    expect(engine.backendText).to.match(/^GGUF on the CPU: /);
    expect(progress.at(-1)?.text).to.equal('Ready (on 1 thread)');
    const outcome = await chat(engine);
    expect(outcome).to.deep.include({ status: 'complete', text: TINY_MODEL_EXPECTED.chatReply, finishReason: 'stop' });
  });

  it('told of a real GPU that its worker cannot reach, believes llama.cpp: 0 layers offloaded is the CPU', async () => {
    // The page's probe says GPU; wllama's worker here gets no adapter, and llama.cpp logs "offloaded 0/3".
    const gpu = { adapter: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 31 };
    const engine = track(
      createWasmEngine({
        model: new Blob([generateLlamaGguf().slice().buffer]),
        modelId: 'tiny',
        gpuLimits: () => Promise.resolve(gpu),
      }),
    );
    await engine.load();
    expect(engine.backend).to.equal('cpu');
    expect(engine.backendText).to.equal('GGUF on the CPU: llama.cpp found no usable GPU in its worker.');
    expect((await chat(engine)).text).to.equal(TINY_MODEL_EXPECTED.chatReply);
  });

  it('stops at the token limit, and aborts mid-stream keeping the partial text', async () => {
    const engine = track(createWasmEngine({ model: new Blob([generateLlamaGguf().slice().buffer]), modelId: 'tiny' }));
    const limited = await chat(engine, { maxOutputTokens: 6 });
    expect(limited).to.deep.include({ status: 'complete', text: 'abcdef', finishReason: 'length' });
    const aborted = await chat(engine, { abortAfterChars: 3 });
    expect(aborted.status).to.equal('aborted');
    expect(TINY_MODEL_EXPECTED.chatReply.startsWith(aborted.text)).to.equal(true);
    expect(aborted.text.length).to.be.lessThan(26);
    // The engine is free again afterwards.
    expect((await chat(engine)).text).to.equal(TINY_MODEL_EXPECTED.chatReply);
  });

  it('loads a second time from the browser cache with no network request', async () => {
    const url = modelUrl('dl-2');
    await deleteCachedModel(url, MODEL_CACHE_NAME);
    const first = track(createWasmEngine({ model: url }));
    await first.load();
    expect(first.loadedFromCache).to.equal(false);
    expect(await requestsFor('dl-2')).to.have.length(1);
    const second = track(createWasmEngine({ model: url }));
    await second.load();
    expect(second.loadedFromCache).to.equal(true);
    expect(await requestsFor('dl-2')).to.have.length(1);
    expect((await chat(second, { maxOutputTokens: 3 })).text).to.equal('abc');
  });

  it('gives clear errors for a missing file, a cut-off download and a damaged file', async () => {
    const missing = await createWasmEngine({ model: modelUrl('missing'), cache: false })
      .load()
      .catch((error: unknown) => error);
    expect((missing as { code?: string }).code).to.equal('MODEL_NOT_FOUND');
    const truncated = await createWasmEngine({ model: modelUrl('truncated'), cache: false })
      .load()
      .catch((error: unknown) => error);
    expect((truncated as { code?: string }).code).to.equal('MODEL_LOAD_FAILED');
    expect((truncated as Error).message).to.match(/cut off/);
    const damaged = await createWasmEngine({ model: modelUrl('dl-3'), cache: false, sha256: '0'.repeat(64) })
      .load()
      .catch((error: unknown) => error);
    expect((damaged as { code?: string }).code).to.equal('MODEL_LOAD_FAILED');
    expect((damaged as Error).message).to.match(/damaged/);
  });

  it('reports a load that was aborted as an abort, and can load afterwards', async () => {
    const controller = new AbortController();
    controller.abort();
    const engine = track(createWasmEngine({ model: modelUrl('dl-4'), cache: false }));
    const error = await engine.load({ abortSignal: controller.signal }).catch((caught: unknown) => caught);
    expect((error as Error).name).to.equal('AbortError');
    await engine.load();
    expect(await engine.availability()).to.equal('available');
  });
});
