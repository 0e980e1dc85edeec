import type { CapabilityProbe } from '@ai-blocks/runtime';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import {
  blockIn,
  button,
  chooseEngine,
  engineSummary,
  mountHost,
  shadow,
  testServers,
  until,
} from '../../helpers/host-page.js';

// A real, f16-capable GPU as a probe would report it (none exists on these machines).
const F16_GPU: CapabilityProbe = {
  webgpu: {
    adapter: true,
    isFallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: 2 ** 31,
    description: 'an f16-capable test GPU',
  },
  wasm: { available: true, simd: true },
  crossOriginIsolated: false,
  hostServiceModule: 'unknown',
};

const modelState = (block: HTMLElement, id: string) =>
  shadow(block).querySelector(`[data-model="${id}"] .model-state`)?.textContent ?? '';
const option = (block: HTMLElement, value: string) =>
  shadow(block).querySelector<HTMLOptionElement>(`#engine option[value="${value}"]`);
/** Why an engine cannot run here, as the picker explains under its summary. */
const reason = (block: HTMLElement, value: string) =>
  shadow(block).querySelector(`[data-reason="${value}"]`)?.textContent ?? '';

describe('engine selection in a real browser (Chromium without WebGPU)', () => {
  it('no AI service on the host: the automatic choice is the in-browser CPU model, and it answers', async function () {
    this.timeout(40_000);
    const { fault } = await testServers();
    const app = await mountHost({
      serviceBase: `${fault.replace('SCENARIO', 'service-forbidden').replace(/\/v1$/, '')}/api/service/`,
    });
    const block = blockIn(app, 'ai-chat');
    await until(
      () => reason(block, 'service-module').includes('does not offer'),
      () => `the service to be unavailable (got "${reason(block, 'service-module')}")`,
    );
    expect(engineSummary(block)).to.match(/CPU model/);
    expect(shadow(block).querySelector<HTMLSelectElement>('#engine')?.selectedOptions[0]?.textContent).to.contain(
      'Automatic (In browser — CPU',
    );
    // And the automatic choice works offline: AI Text answers with the bundled model.
    const text = blockIn(app, 'ai-text');
    await until(() => engineSummary(text).includes('CPU model'), 'AI Text to choose the CPU model');
    const prompt = shadow(text).querySelector<HTMLTextAreaElement>('#prompt');
    if (!prompt) throw new Error('no prompt');
    prompt.value = 'Hello';
    prompt.dispatchEvent(new Event('input'));
    await text.updateComplete;
    button(text, 'generate')?.click();
    await until(() => button(text, 'keep') !== null, 'the answer');
    expect(shadow(text).querySelector('.generated')?.textContent.trim()).to.equal(TINY_MODEL_EXPECTED.chatReply);
    // This test page is not cross-origin isolated: one thread, and the block says why.
    await until(() => shadow(text).querySelector('[data-threads]') !== null, 'the thread count');
    expect(shadow(text).querySelector('[data-threads]')?.textContent).to.contain(
      'runs on 1 thread: this page is not cross-origin isolated',
    );
    app.remove();
  });

  it('picks the CPU engine, says there is no WebGPU, and each GPU model says why it cannot run', async function () {
    this.timeout(60_000);
    expect('gpu' in navigator && (await navigator.gpu.requestAdapter()) !== null).to.equal(false);
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    await until(
      () => reason(block, 'webllm').includes('no WebGPU'),
      () => `the GPU engine to say why (got "${reason(block, 'webllm')}")`,
    );
    expect(option(block, 'webllm')?.disabled).to.equal(true);
    expect(reason(block, 'webllm')).to.contain('This browser has no WebGPU.');
    // The option is the engine's name only: a reason in it would widen the select past a phone.
    expect(option(block, 'webllm')?.textContent).to.not.contain('WebGPU.');
    await chooseEngine(block, 'wasm');
    // Without the host's service, the automatic choice is the CPU model, and it says why not the GPU.
    await chooseEngine(block, 'auto');
    block.settings = {
      probe: {
        webgpu: { adapter: false, isFallbackAdapter: false, shaderF16: false },
        wasm: { available: true, simd: true },
        crossOriginIsolated: false,
        hostServiceModule: 'no',
      },
    };
    await until(
      () => engineSummary(block).includes('WebGPU'),
      () => `a summary about WebGPU (got "${engineSummary(block)}")`,
    );
    expect(engineSummary(block)).to.match(/CPU model.*(no WebGPU|GPU model: this browser has no WebGPU)/i);
    await until(() => modelState(block, 'SmolLM2-360M-Instruct-q4f16_1-MLC') !== '', 'the model list');
    expect(modelState(block, 'SmolLM2-360M-Instruct-q4f16_1-MLC')).to.contain('Needs WebGPU');
    expect(modelState(block, 'smollm2-135m-instruct-q8_0')).to.match(/Needs a \d+ MB download/);
    app.remove();
  });

  it('f16 GPU probe: offers the GPU engine; its model cannot load here, so CPU answers, saying why', async function () {
    this.timeout(60_000);
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    block.settings = { probe: F16_GPU };
    await until(() => option(block, 'webllm')?.disabled === false, 'the GPU engine to be offered');
    await chooseEngine(block, 'webllm');
    await until(
      () => engineSummary(block).includes('GPU model'),
      () => `the GPU engine to be chosen (got "${engineSummary(block)}")`,
    );
    expect(modelState(block, 'SmolLM2-360M-Instruct-q4f16_1-MLC')).to.match(/download/i);
    const prompt = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
    if (!prompt) throw new Error('no prompt');
    prompt.value = 'Hello';
    prompt.dispatchEvent(new Event('input'));
    await block.updateComplete;
    button(block, 'generate')?.click();
    // The GPU model is a large download: the block asks first.
    await until(() => button(block, 'confirm-download') !== null, 'the download question');
    button(block, 'confirm-download')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer from the fallback engine', 50_000);
    expect(shadow(block).querySelector('.generated')?.textContent.trim()).to.equal(TINY_MODEL_EXPECTED.chatReply);
    expect(shadow(block).querySelector('[data-notice="fallback"]')?.textContent).to.contain(
      'using the CPU model instead',
    );
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('In-browser model');
    app.remove();
  });
});
