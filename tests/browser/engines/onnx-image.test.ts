import {
  AiError,
  createOnnxImageEngine,
  generateImage,
  type LoadProgress,
  type OnnxImageEngine,
} from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';

// The tiny diffusion model as the build lays it out (the WTR plugin generates it on the fly).
const MANIFEST_URL = new URL('/runtime-assets/models/ai-blocks-tiny-diffusion/manifest.json', location.href).href;
const PROMPT = 'a photo of a red cat';
/**
 * SHA-256 of the stored (uncompressed) PNG for PROMPT, seed 42, 4 steps, on the WebAssembly
 * provider with one thread. Any change to the model generator, tokenizer, RNG, scheduler,
 * pixel conversion or PNG writer changes it.
 */
const EXPECTED_PNG_SHA256 = '27989ef6b45b5095ec1ec25bebe3d017d43cee86cf7168af5e7201ad00b12be4';

const engines: OnnxImageEngine[] = [];
after(async () => {
  await Promise.all(engines.map((engine) => engine.dispose()));
});

function track(engine: OnnxImageEngine): OnnxImageEngine {
  engines.push(engine);
  return engine;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

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

async function tinyManifest(): Promise<Record<string, unknown>> {
  return (await (await fetch(MANIFEST_URL)).json()) as Record<string, unknown>;
}

describe('ONNX image engine (onnxruntime-web, WebAssembly) on the generated tiny diffusion model', () => {
  let engine: OnnxImageEngine;
  before(() => {
    engine = track(createOnnxImageEngine({ model: MANIFEST_URL, cache: false, pngCompression: 'stored' }));
  });

  it('loads with monotonic progress, then draws the exact same PNG for the same prompt and seed', async () => {
    const progress: LoadProgress[] = [];
    expect(await engine.availability()).to.equal('downloadable');
    await engine.load({ onProgress: (update) => progress.push(update) });
    expect(await engine.availability()).to.equal('available');
    expect(engine.executionProvider).to.equal('wasm');
    expect(engine.threads).to.equal(1); // this page is not cross-origin isolated
    for (let index = 1; index < progress.length; index += 1)
      expect(progress[index]?.fraction ?? 0).to.be.at.least(progress[index - 1]?.fraction ?? 0);
    expect(progress.some((update) => /Downloading the UNet/.test(update.text))).to.equal(true);
    expect(progress.at(-1)).to.deep.include({ fraction: 1 });

    const steps: { step: number; totalSteps: number }[] = [];
    const started = performance.now();
    const first = await generateImage({
      engine,
      prompt: PROMPT,
      seed: 42,
      steps: 4,
      onProgress: (update) => steps.push(update),
    });
    const seconds = (performance.now() - started) / 1000;
    expect(first.status).to.equal('complete');
    expect(steps).to.deep.equal([1, 2, 3, 4].map((step) => ({ step, totalSteps: 4 })));
    const image = first.images[0];
    expect(image?.mediaType).to.equal('image/png');
    expect(image?.seed).to.equal(42);
    const digest = await sha256(image?.bytes ?? new Uint8Array());
    console.log(`tiny diffusion on wasm: ${seconds.toFixed(3)} s per 64×64 image (4 steps), PNG sha256 ${digest}`);
    expect(digest).to.equal(EXPECTED_PNG_SHA256);

    const again = await generateImage({ engine, prompt: PROMPT, seed: 42, steps: 4 });
    expect(await sha256(again.images[0]?.bytes ?? new Uint8Array())).to.equal(EXPECTED_PNG_SHA256);
    const otherSeed = await generateImage({ engine, prompt: PROMPT, seed: 43, steps: 4 });
    const otherPrompt = await generateImage({ engine, prompt: 'a blue dog at night', seed: 42, steps: 4 });
    expect(await sha256(otherSeed.images[0]?.bytes ?? new Uint8Array())).to.not.equal(EXPECTED_PNG_SHA256);
    expect(await sha256(otherPrompt.images[0]?.bytes ?? new Uint8Array())).to.not.equal(EXPECTED_PNG_SHA256);
    const decoded = await pixels(image?.bytes ?? new Uint8Array());
    expect(decoded.length).to.equal(64 * 64 * 4);
  });

  it('aborts between denoising steps, and then draws again', async () => {
    const controller = new AbortController();
    const steps: number[] = [];
    const outcome = await generateImage({
      engine,
      prompt: PROMPT,
      seed: 1,
      steps: 8,
      abortSignal: controller.signal,
      onProgress: ({ step }) => {
        steps.push(step);
        if (step === 2) controller.abort();
      },
    });
    expect(outcome).to.deep.equal({ status: 'aborted', images: [] });
    expect(steps).to.deep.equal([1, 2]);
    const next = await generateImage({ engine, prompt: PROMPT, seed: 42, steps: 4 });
    expect(await sha256(next.images[0]?.bytes ?? new Uint8Array())).to.equal(EXPECTED_PNG_SHA256);
  });

  it('rejects a size or step count the model cannot make', async () => {
    const size = await generateImage({ engine, prompt: PROMPT, size: '512x512' });
    expect(size.error?.code).to.equal('INVALID_REQUEST');
    const steps = await generateImage({ engine, prompt: PROMPT, steps: 99 });
    expect(steps.error?.code).to.equal('INVALID_REQUEST');
  });

  it('compresses with deflate to the same pixels', async () => {
    const deflate = track(createOnnxImageEngine({ model: MANIFEST_URL, cache: false }));
    const stored = await generateImage({ engine, prompt: PROMPT, seed: 42, steps: 4 });
    const compressed = await generateImage({ engine: deflate, prompt: PROMPT, seed: 42, steps: 4 });
    const storedBytes = stored.images[0]?.bytes ?? new Uint8Array();
    const compressedBytes = compressed.images[0]?.bytes ?? new Uint8Array();
    expect(compressedBytes.length).to.be.lessThan(storedBytes.length);
    expect([...(await pixels(compressedBytes))]).to.deep.equal([...(await pixels(storedBytes))]);
  });

  it('reports a damaged model file as MODEL_LOAD_FAILED', async () => {
    const manifest = await tinyManifest();
    const unet = manifest['unet'] as Record<string, unknown>;
    const good = new Uint8Array(await (await fetch(new URL('unet/model.onnx', MANIFEST_URL))).arrayBuffer());
    const damaged = good.slice(0, Math.floor(good.length / 2));
    damaged.fill(0x5a, 10, 200);
    const blobUrl = URL.createObjectURL(new Blob([damaged]));
    try {
      // Without a checksum onnxruntime-web finds the damage; with one, the download check does.
      const unchecked = { ...unet };
      delete unchecked['sha256'];
      const broken = track(
        createOnnxImageEngine({
          model: { manifest: { ...manifest, unet: { ...unchecked, file: blobUrl } }, baseUrl: MANIFEST_URL },
          cache: false,
        }),
      );
      const outcome = await generateImage({ engine: broken, prompt: PROMPT, seed: 1 });
      expect(outcome.status).to.equal('error');
      expect(outcome.error?.code).to.equal('MODEL_LOAD_FAILED');
      expect(outcome.error?.message).to.match(/UNet/);
      const checked = track(
        createOnnxImageEngine({
          model: { manifest: { ...manifest, unet: { ...unet, file: blobUrl } }, baseUrl: MANIFEST_URL },
          cache: false,
        }),
      );
      const checkedOutcome = await generateImage({ engine: checked, prompt: PROMPT, seed: 1 });
      expect(checkedOutcome.error?.code).to.equal('MODEL_LOAD_FAILED');
      expect(checkedOutcome.error?.message).to.match(/damaged|SHA-256/);
    } finally {
      URL.revokeObjectURL(blobUrl);
    }
  });

  it('refuses a model too large for this browser with a reason, before downloading anything', async () => {
    const manifest = await tinyManifest();
    const requests: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      requests.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const unet = manifest['unet'] as Record<string, unknown>;
    const oneHugeFile = track(
      createOnnxImageEngine({
        model: { manifest: { ...manifest, unet: { ...unet, bytes: 3_000_000_000 } }, baseUrl: MANIFEST_URL },
        fetch: recordingFetch,
      }),
    );
    expect(await oneHugeFile.availability()).to.equal('unavailable');
    expect(await oneHugeFile.whyUnavailable()).to.match(/over 2 GB/);
    let error: unknown;
    await oneHugeFile.load().catch((caught: unknown) => (error = caught));
    expect(AiError.isInstance(error) && error.code).to.equal('ENGINE_UNAVAILABLE');
    expect((error as Error).message).to.match(/UNet is one 3\.0 GB file/);

    const textEncoder = manifest['textEncoder'] as Record<string, unknown>;
    const tooBigForCpu = track(
      createOnnxImageEngine({
        model: {
          manifest: {
            ...manifest,
            executionProviders: ['wasm'],
            textEncoder: { ...textEncoder, bytes: 1_900_000_000 },
            unet: { ...unet, bytes: 1_900_000_000 },
          },
          baseUrl: MANIFEST_URL,
        },
        fetch: recordingFetch,
      }),
    );
    const outcome = await generateImage({ engine: tooBigForCpu, prompt: PROMPT });
    expect(outcome.error?.code).to.equal('ENGINE_UNAVAILABLE');
    expect(outcome.error?.message).to.match(/CPU \(WebAssembly\) provider can hold at most/);

    const smallDevice = track(
      createOnnxImageEngine({ model: MANIFEST_URL, fetch: recordingFetch, limits: { deviceMemoryGiB: 0.0001 } }),
    );
    expect(await smallDevice.whyUnavailable()).to.match(/this device reports/);
    expect(requests.filter((url) => !url.endsWith('manifest.json'))).to.deep.equal([]);
  });
});
