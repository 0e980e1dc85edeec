import { createOnnxImageEngine, generateImage } from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';

const MANIFEST_URL = new URL('/runtime-assets/models/ai-blocks-tiny-diffusion/manifest.json', location.href).href;
/** The one-thread PNG of tests/browser/engines/onnx-image.test.ts. */
const ONE_THREAD_PNG_SHA256 = '27989ef6b45b5095ec1ec25bebe3d017d43cee86cf7168af5e7201ad00b12be4';

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

// This page is cross-origin isolated (COOP/COEP), so onnxruntime-web's WebAssembly can use threads.
describe('ONNX image engine on a cross-origin isolated page', () => {
  it('runs the WebAssembly provider with two threads and draws the same PNG as with one', async () => {
    expect(crossOriginIsolated).to.equal(true);
    const engine = createOnnxImageEngine({
      model: MANIFEST_URL,
      executionProvider: 'wasm',
      threads: 2,
      cache: false,
      pngCompression: 'stored',
    });
    try {
      await engine.load();
      expect(engine.threads).to.equal(2);
      const started = performance.now();
      const outcome = await generateImage({ engine, prompt: 'a photo of a red cat', seed: 42, steps: 4 });
      console.log(
        `tiny diffusion on wasm, 2 threads: ${((performance.now() - started) / 1000).toFixed(3)} s per image`,
      );
      expect(outcome.status).to.equal('complete');
      expect(await sha256(outcome.images[0]?.bytes ?? new Uint8Array())).to.equal(ONE_THREAD_PNG_SHA256);
    } finally {
      await engine.dispose();
    }
  });
});
