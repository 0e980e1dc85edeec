import { createOnnxImageEngine, generateImage, type OnnxImageEngine } from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';

// Chromium runs with --enable-unsafe-webgpu; here the adapter is SwiftShader (WebGPU on the CPU).
const MANIFEST_URL = new URL('/runtime-assets/models/ai-blocks-tiny-diffusion/manifest.json', location.href).href;
const PROMPT = 'a photo of a red cat';
/**
 * GPU and CPU kernels add floats in different orders, so the images may differ by rounding:
 * at most this many levels (of 255) in any channel, and this mean difference over all channels.
 */
const MAX_LEVEL_DIFFERENCE = 2;
const MAX_MEAN_DIFFERENCE = 0.05;

async function pixels(png: Uint8Array): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
}

describe('ONNX image engine on the WebGPU provider', () => {
  const engines: OnnxImageEngine[] = [];
  after(async () => {
    await Promise.all(engines.map((engine) => engine.dispose()));
  });

  it('draws the tiny model’s image on WebGPU within rounding of the WebAssembly image', async () => {
    const gpu = createOnnxImageEngine({
      model: MANIFEST_URL,
      executionProvider: 'webgpu',
      cache: false,
      pngCompression: 'stored',
    });
    const cpu = createOnnxImageEngine({
      model: MANIFEST_URL,
      executionProvider: 'wasm',
      cache: false,
      pngCompression: 'stored',
    });
    engines.push(gpu, cpu);
    // 'auto' keeps a software adapter for explicit requests only.
    const auto = createOnnxImageEngine({ model: MANIFEST_URL, cache: false });
    engines.push(auto);
    expect(await auto.whyUnavailable()).to.equal(undefined);

    await gpu.load();
    expect(gpu.executionProvider).to.equal('webgpu');
    const started = performance.now();
    const onGpu = await generateImage({ engine: gpu, prompt: PROMPT, seed: 42, steps: 4 });
    const gpuSeconds = (performance.now() - started) / 1000;
    const secondStart = performance.now();
    await generateImage({ engine: gpu, prompt: PROMPT, seed: 42, steps: 4 });
    const warmSeconds = (performance.now() - secondStart) / 1000;
    const onCpu = await generateImage({ engine: cpu, prompt: PROMPT, seed: 42, steps: 4 });
    expect(onGpu.status).to.equal('complete');
    expect(onCpu.status).to.equal('complete');

    const a = await pixels(onGpu.images[0]?.bytes ?? new Uint8Array());
    const b = await pixels(onCpu.images[0]?.bytes ?? new Uint8Array());
    expect(a.length).to.equal(b.length);
    let max = 0;
    let sum = 0;
    let differing = 0;
    for (let index = 0; index < a.length; index += 4) {
      for (let channel = 0; channel < 3; channel += 1) {
        const difference = Math.abs((a[index + channel] ?? 0) - (b[index + channel] ?? 0));
        max = Math.max(max, difference);
        sum += difference;
        if (difference > 0) differing += 1;
      }
    }
    const mean = sum / ((a.length / 4) * 3);
    console.log(
      `tiny diffusion on WebGPU (SwiftShader): ${gpuSeconds.toFixed(3)} s first image, ` +
        `${warmSeconds.toFixed(3)} s next; vs WebAssembly: max ${max}, mean ${mean.toFixed(4)} levels, ` +
        `${differing} of ${(a.length / 4) * 3} channel values differ`,
    );
    expect(max).to.be.at.most(MAX_LEVEL_DIFFERENCE);
    expect(mean).to.be.at.most(MAX_MEAN_DIFFERENCE);
  });
});
