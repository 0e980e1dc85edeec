import { expect } from '@open-wc/testing';
import { probeCapabilities } from '@ai-blocks/runtime';
import { blockIn, engineSummary, mountHost, until } from '../helpers/host-page.js';

// Chromium runs with --enable-unsafe-webgpu: SwiftShader, a fallback adapter without shader-f16.
describe('engine selection with WebGPU on SwiftShader', () => {
  it('still picks the CPU engine and says the GPU is software', async function () {
    this.timeout(60_000);
    const adapter = await navigator.gpu.requestAdapter();
    expect(adapter).to.not.equal(null);
    const app = await mountHost();
    const block = blockIn(app, 'ai-chat');
    const gpuOption = () => block.shadowRoot?.querySelector<HTMLOptionElement>('#engine option[value="webllm"]');
    // Why the GPU engine cannot run is listed under the picker's summary, not in the option.
    const reason = () => block.shadowRoot?.querySelector('[data-reason="webllm"]')?.textContent ?? '';
    await until(
      () => reason().includes('software'),
      () => `the GPU engine to say why (got "${reason()}")`,
      15_000,
    );
    expect(gpuOption()?.disabled).to.equal(true);
    expect(reason()).to.contain('WebGPU here runs in software, without a real GPU.');
    // The page's service is the automatic first choice: without it, the CPU model is, and it says why.
    block.settings = { probe: { ...(await probeCapabilities()), hostServiceModule: 'no' } };
    await until(
      () => engineSummary(block).includes('software'),
      () => `the summary to say why (got "${engineSummary(block)}")`,
    );
    // "Using the CPU model…" when its model is cached, "…after a one-time download" before.
    expect(engineSummary(block)).to.match(
      /CPU model \(WebAssembly\).*WebGPU here runs in software, without a real GPU/,
    );
    app.remove();
  });
});
