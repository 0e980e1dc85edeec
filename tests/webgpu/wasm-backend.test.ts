import { createWasmEngine, probeGpuLimits, streamText } from '@ai-blocks/runtime';
import { generateLlamaGguf, TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';

// Chromium runs with --enable-unsafe-webgpu: the page gets SwiftShader, a software adapter.
// wllama 3 alone would offload the model's layers to whatever adapter its worker finds.
describe('Wasm engine (wllama 3) with WebGPU on SwiftShader', () => {
  it('runs the GGUF on the CPU, says why, and answers exactly', async function () {
    this.timeout(60_000);
    const gpu = await probeGpuLimits();
    expect(gpu.adapter).to.equal(true);
    expect(gpu.isFallbackAdapter).to.equal(true);
    const engine = createWasmEngine({ model: new Blob([generateLlamaGguf().slice().buffer]), modelId: 'tiny' });
    try {
      await engine.load();
      expect(engine.backend).to.equal('cpu');
      expect(engine.backendText).to.match(/^GGUF on the CPU: WebGPU here runs in software/);
      const outcome = await streamText({ engine, messages: [{ role: 'user', content: 'hi' }], temperature: 0 }).outcome;
      expect(outcome).to.deep.include({ status: 'complete', text: TINY_MODEL_EXPECTED.chatReply });
    } finally {
      await engine.dispose();
    }
  });
});
