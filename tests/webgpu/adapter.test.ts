import { expect } from '@open-wc/testing';

// Chromium runs with --enable-unsafe-webgpu; on these machines the adapter is SwiftShader
// on the CPU, a fallback adapter without shader-f16 (so web-llm cannot run a model here).
describe('WebGPU in the test browser', () => {
  it('gets a real adapter and reports what it can do', async () => {
    expect(navigator.gpu, 'navigator.gpu').to.exist;
    const adapter = await navigator.gpu.requestAdapter();
    expect(adapter, 'adapter').to.not.equal(null);
    if (!adapter) return;
    const info = adapter.info;
    // Chromium moved isFallbackAdapter from GPUAdapter to GPUAdapterInfo; read whichever exists.
    const fromInfo = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const fromAdapter = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const isFallback = fromInfo ?? fromAdapter ?? false;
    const hasShaderF16 = adapter.features.has('shader-f16');
    const report = {
      vendor: info.vendor,
      architecture: info.architecture,
      isFallbackAdapter: isFallback,
      shaderF16: hasShaderF16,
    };
    console.log(`WebGPU adapter: ${JSON.stringify(report)}`);
    expect(typeof isFallback).to.equal('boolean');
    expect(typeof hasShaderF16).to.equal('boolean');
    const device = await adapter.requestDevice();
    expect(device.limits.maxBufferSize).to.be.greaterThan(0);
    device.destroy();
  });
});
