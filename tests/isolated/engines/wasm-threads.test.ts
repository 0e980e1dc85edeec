import { createWasmEngine, streamText } from '@ai-blocks/runtime';
import { generateLlamaGguf, TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';

// This page is cross-origin isolated (COOP/COEP), so wllama can use threads.
describe('Wasm engine on a cross-origin isolated page', () => {
  it('runs with several threads and gives the same exact answer', async () => {
    expect(crossOriginIsolated).to.equal(true);
    const engine = createWasmEngine({
      model: new Blob([generateLlamaGguf().slice().buffer]),
      modelId: 'tiny',
      threads: 2,
    });
    try {
      await engine.load();
      expect(engine.threads).to.equal(2);
      const outcome = await streamText({ engine, messages: [{ role: 'user', content: 'hi' }], temperature: 0 }).outcome;
      expect(outcome).to.deep.include({
        status: 'complete',
        text: TINY_MODEL_EXPECTED.chatReply,
        finishReason: 'stop',
      });
    } finally {
      await engine.dispose();
    }
  });
});
