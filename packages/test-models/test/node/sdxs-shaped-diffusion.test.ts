import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { parseDiffusionManifest } from '@ai-blocks/runtime';
import { generateSdxsShapedDiffusion, SDXS_512_SHAPE, SDXS_QUICK_SHAPE, type SdxsShape } from '@ai-blocks/test-models';
import { sha256Hex } from '@ai-blocks/test-models/node';

/**
 * Parameter counts from the architecture as written down (diffusers' module sizes), independent of
 * the generator's code: weights plus biases, norms' scale and shift.
 */
function expectedParameters(shape: SdxsShape): { textEncoder: number; unet: number; vaeDecoder: number } {
  const { vocab, width: w, layers, mlp, sequenceLength } = shape.text;
  const textLayer = 2 * w + 4 * (w * w + w) + 2 * w + (w * mlp + mlp) + (mlp * w + w);
  const textEncoder = vocab * w + sequenceLength * w + layers * textLayer + 2 * w;

  const { channels, timeWidth: t } = shape.unet;
  const [c0, c1, c2] = channels;
  const resnet = (i: number, o: number) =>
    2 * i + (i * o * 9 + o) + (t * o + o) + 2 * o + (o * o * 9 + o) + (i === o ? 0 : i * o + o);
  // GroupNorm, proj_in, 3 LayerNorms, two attentions (no q/k/v bias), GEGLU feed-forward, proj_out.
  const attention = (c: number, context: number) => c * c + 2 * context * c + (c * c + c);
  const transformer = (c: number, self: boolean) =>
    2 * c +
    (c * c + c) +
    3 * 2 * c +
    attention(c, self ? c : w) +
    attention(c, w) +
    (c * 8 * c + 8 * c) +
    (4 * c * c + c) +
    (c * c + c);
  const conv3 = (c: number) => c * c * 9 + c;
  const unet =
    c0 * t +
    t +
    t * t +
    t +
    (4 * c0 * 9 + c0) +
    (resnet(c0, c0) + transformer(c0, false) + conv3(c0)) +
    (resnet(c0, c1) + transformer(c1, true) + conv3(c1)) +
    (resnet(c1, c2) + transformer(c2, true)) +
    (resnet(c2 + c2, c2) + resnet(c2 + c1, c2) + 2 * transformer(c2, true) + conv3(c2)) +
    (resnet(c2 + c1, c1) + resnet(c1 + c0, c1) + 2 * transformer(c1, true) + conv3(c1)) +
    (resnet(c1 + c0, c0) + resnet(c0 + c0, c0) + 2 * transformer(c0, false)) +
    2 * c0 +
    (c0 * 4 * 9 + 4);

  const { channels: v, blocks } = shape.vae;
  const blockCount = blocks.reduce((sum, count) => sum + count, 0);
  const vaeDecoder = 4 * v * 9 + v + blockCount * 3 * conv3(v) + (blocks.length - 1) * v * v * 9 + (v * 3 * 9 + 3);
  return { textEncoder, unet, vaeDecoder };
}

describe('SDXS-shaped diffusion model (benchmark only)', () => {
  it('has SDXS-512’s published sizes: CLIP ViT-L/14 text encoder, a ~0.32 B UNet, a ~1.2 M TAESD decoder', () => {
    const full = expectedParameters(SDXS_512_SHAPE);
    expect(full.textEncoder).toBe(123_060_480); // CLIP ViT-L/14's text model, exactly
    expect(full.unet / 1e9).toBeCloseTo(0.32, 2);
    expect(full.vaeDecoder / 1e6).toBeCloseTo(1.22, 2);
  });

  it('generates the same bytes every run, with as many weights as the architecture has', () => {
    const first = generateSdxsShapedDiffusion(SDXS_QUICK_SHAPE);
    const second = generateSdxsShapedDiffusion(SDXS_QUICK_SHAPE);
    for (const [path, bytes] of first.files)
      expect(sha256Hex(bytes), path).toBe(sha256Hex(second.files.get(path) ?? new Uint8Array()));
    expect(first.parameters).toEqual(expectedParameters(SDXS_QUICK_SHAPE));
    // Float32 weights are nearly all of each file.
    const unetBytes = first.files.get('unet/model.onnx')?.length ?? 0;
    expect(unetBytes).toBeGreaterThan(first.parameters.unet * 4);
    expect(unetBytes).toBeLessThan(first.parameters.unet * 4 * 1.05);
  });

  it('is a manifest the image engine accepts, with parts onnxruntime runs at the declared shapes', async () => {
    ort.env.wasm.numThreads = 1;
    const model = generateSdxsShapedDiffusion(SDXS_QUICK_SHAPE);
    const parsed = parseDiffusionManifest(model.manifest);
    if (!parsed.ok) throw new Error(parsed.problems);
    const { text, imageSize } = SDXS_QUICK_SHAPE;
    const latent = imageSize / 8;
    expect(parsed.manifest.image).toEqual({ width: imageSize, height: imageSize });
    const run = async (path: string, feeds: Record<string, ort.Tensor>) => {
      const session = await ort.InferenceSession.create(model.files.get(path) ?? new Uint8Array());
      const results = await session.run(feeds);
      await session.release();
      const output = Object.values(results)[0];
      expect(Array.from(output?.data as Float32Array).every(Number.isFinite), path).toBe(true);
      return output?.dims;
    };
    const hidden = new ort.Tensor('float32', new Float32Array(text.sequenceLength * text.width).fill(0.1), [
      1,
      text.sequenceLength,
      text.width,
    ]);
    const sample = () =>
      new ort.Tensor('float32', new Float32Array(4 * latent * latent).fill(0.1), [1, 4, latent, latent]);
    expect(
      await run('text_encoder/model.onnx', {
        input_ids: new ort.Tensor('int32', new Int32Array(text.sequenceLength).fill(7), [1, text.sequenceLength]),
      }),
    ).toEqual([1, text.sequenceLength, text.width]);
    expect(
      await run('unet/model.onnx', {
        sample: sample(),
        timestep: new ort.Tensor('int64', BigInt64Array.from([999n]), [1]),
        encoder_hidden_states: hidden,
      }),
    ).toEqual([1, 4, latent, latent]);
    expect(await run('vae_decoder/model.onnx', { latent_sample: sample() })).toEqual([1, 3, imageSize, imageSize]);
  });
});
