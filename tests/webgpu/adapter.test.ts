import { probeCapabilities } from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';

// Chromium runs with --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader (scripts/chromium-path.mjs):
// SwiftShader on the CPU, a fallback adapter without shader-f16, so web-llm cannot run a model here.
// The test holds the adapter to that, and the runtime's probe (what engine selection reads) to the adapter.
describe('WebGPU in the test browser', () => {
  it('gets the SwiftShader fallback adapter without shader-f16, and the runtime probe reports the same', async () => {
    expect(navigator.gpu, 'navigator.gpu').to.exist;
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('Chromium gave no WebGPU adapter although it was started with WebGPU on SwiftShader');
    const info = adapter.info;
    // Chromium moved isFallbackAdapter from GPUAdapter to GPUAdapterInfo; read whichever exists.
    const fromInfo = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const fromAdapter = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const report = {
      vendor: info.vendor,
      architecture: info.architecture,
      isFallbackAdapter: fromInfo ?? fromAdapter,
      shaderF16: adapter.features.has('shader-f16'),
    };
    console.log(`WebGPU adapter: ${JSON.stringify(report)}`);
    expect(report).to.deep.equal({
      vendor: 'google',
      architecture: 'swiftshader',
      isFallbackAdapter: true,
      shaderF16: false,
    });

    const probe = await probeCapabilities();
    expect(probe.webgpu).to.deep.include({
      adapter: true,
      isFallbackAdapter: report.isFallbackAdapter,
      shaderF16: report.shaderF16,
    });
    expect(probe.webgpu.description).to.contain(report.architecture);
    expect(probe.webgpu.maxBufferSize).to.equal(adapter.limits.maxBufferSize);

    const device = await adapter.requestDevice();
    expect(device.limits.maxBufferSize).to.be.greaterThan(0);
    device.destroy();
  });
});
