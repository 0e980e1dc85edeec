/**
 * The text-to-image pipeline of one- to few-step distilled diffusion models (SD-Turbo, SDXS):
 * tokenize → text encoder → (scale → UNet → Euler ancestral step) × steps → un-scale →
 * VAE decoder → 8-bit RGB. The ONNX sessions are reached through {@link SessionRunner}, so the
 * same code runs against a worker (the engine) or onnxruntime directly (Node tests).
 */
import type { ClipTokenizer } from './clip-tokenizer.js';
import { eulerAncestralSchedule, eulerAncestralStep, scaleModelInput } from './euler-ancestral.js';
import type { DiffusionManifest } from './manifest.js';
import { seededGaussian } from './seeded-gaussian.js';
import { floatTensor, intTensor, toFloat32, type TensorData, type TensorType } from './tensor-data.js';

/** One loaded ONNX session. */
export interface SessionRunner {
  /** Element types of the inputs, by name (from the model's metadata). */
  readonly inputTypes: Readonly<Record<string, TensorType>>;
  run(feeds: Record<string, TensorData>, outputs: string[]): Promise<Record<string, TensorData>>;
}

export interface PipelineSessions {
  textEncoder: SessionRunner;
  unet: SessionRunner;
  vaeDecoder: SessionRunner;
}

export interface PipelineRun {
  prompt: string;
  seed: number;
  steps: number;
  abortSignal?: AbortSignal;
  /** Called after each denoising step. */
  onStep?: (step: number, totalSteps: number) => void;
}

export interface RgbResult {
  width: number;
  height: number;
  rgb: Uint8Array;
}

function output(results: Record<string, TensorData>, name: string, part: string): TensorData {
  const tensor = results[name];
  if (!tensor) throw new Error(`The ${part} gave no output named ${name}`);
  return tensor;
}

/** Generates one image; rejects with the signal's reason when aborted between steps. */
export async function runDiffusion(
  manifest: DiffusionManifest,
  tokenizer: ClipTokenizer,
  sessions: PipelineSessions,
  run: PipelineRun,
): Promise<RgbResult> {
  const signal = run.abortSignal;
  signal?.throwIfAborted();
  const typeOf = (session: SessionRunner, name: string, fallback: TensorType) => session.inputTypes[name] ?? fallback;

  const ids = tokenizer.encode(run.prompt);
  const { textEncoder, unet, vaeDecoder } = manifest;
  const encoded = await sessions.textEncoder.run(
    { [textEncoder.input]: intTensor(ids, [1, ids.length], typeOf(sessions.textEncoder, textEncoder.input, 'int32')) },
    [textEncoder.output],
  );
  const hidden = output(encoded, textEncoder.output, 'text encoder');
  signal?.throwIfAborted();

  const latentHeight = manifest.image.height / manifest.latent.downscale;
  const latentWidth = manifest.image.width / manifest.latent.downscale;
  const dims = [1, manifest.latent.channels, latentHeight, latentWidth];
  const schedule = eulerAncestralSchedule(manifest.scheduler, run.steps);
  const noise = seededGaussian(run.seed);
  const latents = noise.fill(
    new Float32Array(manifest.latent.channels * latentHeight * latentWidth),
    schedule.initNoiseSigma,
  );
  const sampleType = typeOf(sessions.unet, unet.inputs.sample, 'float32');
  const timestepType = typeOf(sessions.unet, unet.inputs.timestep, 'int64');
  const hiddenFeed =
    hidden.type === typeOf(sessions.unet, unet.inputs.encoderHiddenStates, hidden.type)
      ? hidden
      : floatTensor(toFloat32(hidden), hidden.dims, typeOf(sessions.unet, unet.inputs.encoderHiddenStates, 'float32'));

  for (let step = 0; step < run.steps; step += 1) {
    const sigma = schedule.sigmas[step] ?? 0;
    const results = await sessions.unet.run(
      {
        [unet.inputs.sample]: floatTensor(scaleModelInput(latents, sigma), dims, sampleType),
        [unet.inputs.timestep]: intTensor([schedule.timesteps[step] ?? 0], [1], timestepType),
        [unet.inputs.encoderHiddenStates]: hiddenFeed,
      },
      [unet.output],
    );
    // Abort lands between steps: a running step is not interrupted, its result is dropped.
    signal?.throwIfAborted();
    eulerAncestralStep(
      latents,
      toFloat32(output(results, unet.output, 'UNet')),
      sigma,
      schedule.sigmas[step + 1] ?? 0,
      noise,
    );
    run.onStep?.(step + 1, run.steps);
  }

  const unscaled = Float32Array.from(latents, (value) => value / manifest.latent.scalingFactor);
  const decoded = await sessions.vaeDecoder.run(
    { [vaeDecoder.input]: floatTensor(unscaled, dims, typeOf(sessions.vaeDecoder, vaeDecoder.input, 'float32')) },
    [vaeDecoder.output],
  );
  signal?.throwIfAborted();
  const image = output(decoded, vaeDecoder.output, 'image decoder');
  const [, channels = 0, height = 0, width = 0] = image.dims;
  if (channels < 3 || height < 1 || width < 1)
    throw new Error(`The image decoder gave a ${image.dims.join('×')} tensor, not an image`);
  return { width, height, rgb: toRgb(toFloat32(image), width, height) };
}

/** NCHW floats in [-1, 1] to interleaved 8-bit RGB (rounded, clamped). */
export function toRgb(planes: Float32Array, width: number, height: number): Uint8Array {
  const pixels = width * height;
  const rgb = new Uint8Array(pixels * 3);
  for (let channel = 0; channel < 3; channel += 1) {
    for (let index = 0; index < pixels; index += 1) {
      const value = ((planes[channel * pixels + index] ?? 0) / 2 + 0.5) * 255;
      rgb[index * 3 + channel] = Math.min(255, Math.max(0, Math.round(value)));
    }
  }
  return rgb;
}
