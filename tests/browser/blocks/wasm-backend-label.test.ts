import type { CapabilityProbe } from '@ai-blocks/runtime';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import { blockIn, button, chooseEngine, engineSummary, mountHost, shadow, until } from '../../helpers/host-page.js';

// A real, f16-capable GPU as a probe would report it (none exists on these machines), and SwiftShader.
const GPU: CapabilityProbe['webgpu'] = {
  adapter: true,
  isFallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 2 ** 31,
};
const probe = (webgpu: CapabilityProbe['webgpu']): CapabilityProbe => ({
  webgpu,
  wasm: { available: true, simd: true },
  crossOriginIsolated: false,
  hostServiceModule: 'no',
});

const wasmOption = (block: HTMLElement) =>
  shadow(block).querySelector<HTMLOptionElement>('#engine option[value="wasm"]')?.textContent.trim() ?? '';
const tinyRow = (block: HTMLElement) =>
  shadow(block).querySelector('[data-model="ai-blocks-tiny"] label')?.textContent.replace(/\s+/g, ' ').trim() ?? '';

describe('the Wasm engine’s label says whether the GGUF runs on the GPU or the CPU', () => {
  it('says "GGUF on the GPU" for a real GPU, "CPU" for SwiftShader, and follows llama.cpp on load', async function () {
    this.timeout(60_000);
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    block.settings = { probe: probe({ ...GPU, isFallbackAdapter: true }) };
    await until(
      () => wasmOption(block).startsWith('In browser — CPU'),
      () => `SwiftShader to mean the CPU (got "${wasmOption(block)}")`,
    );

    block.settings = { probe: probe(GPU) };
    await until(
      () => wasmOption(block) === 'In browser — GGUF on the GPU (free, private)',
      () => `a real GPU to mean the GPU (got "${wasmOption(block)}")`,
    );
    // The automatic choice prefers the GPU engine (web-llm) here; the person picks this one.
    await chooseEngine(block, 'wasm');
    await until(
      () => engineSummary(block).includes('GGUF on the GPU'),
      () => `the summary (got "${engineSummary(block)}")`,
    );
    expect(engineSummary(block)).to.not.contain('CPU model');
    expect(tinyRow(block)).to.contain('(GPU, GGUF)');

    // The engine asks this page's real adapter (none here): llama.cpp runs on the CPU, and the picker says so.
    const prompt = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
    if (!prompt) throw new Error('no prompt');
    prompt.value = 'Hello';
    prompt.dispatchEvent(new Event('input'));
    await block.updateComplete;
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer', 40_000);
    expect(shadow(block).querySelector('.generated')?.textContent.trim()).to.equal(TINY_MODEL_EXPECTED.chatReply);
    // The run's provenance line names where it ran.
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain(
      'In-browser model on the CPU · AI Blocks test model',
    );
    await until(
      () => wasmOption(block).startsWith('In browser — CPU'),
      () => `the label to follow the loaded engine (got "${wasmOption(block)}")`,
    );
    expect(shadow(block).querySelector('[data-threads]')?.textContent).to.match(
      /^GGUF on the CPU: this browser gives the page no WebGPU adapter\. The CPU model runs on 1 thread/,
    );
    app.remove();
  });
});
