/**
 * The Euler ancestral scheduler (k-diffusion's `sample_euler_ancestral`, diffusers'
 * EulerAncestralDiscreteScheduler) with "trailing" timestep spacing: what SD-Turbo was
 * distilled for. With one step it is exactly SD-Turbo's one-step sampler (denoise from
 * t = 999 straight to the clean latents, no noise added); with more steps each step adds
 * seeded noise. One- and few-step models (SD-Turbo, SDXS) predict the noise (epsilon).
 */
import type { GaussianSource } from './seeded-gaussian.js';

export interface SchedulerConfig {
  trainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: 'scaled_linear' | 'linear';
}

export interface Schedule {
  /** The UNet's timestep input at each step (e.g. [999] for one step, [999, 749, 499, 249] for four). */
  timesteps: number[];
  /** Noise level before each step, then 0: `steps + 1` values. */
  sigmas: number[];
  /** What the seeded noise is multiplied by to give the first latents. */
  initNoiseSigma: number;
}

/** σ(t) = √((1 − ᾱₜ) / ᾱₜ) for every training timestep. */
function trainingSigmas(config: SchedulerConfig): Float64Array {
  const count = config.trainTimesteps;
  const sigmas = new Float64Array(count);
  let alphaProduct = 1;
  for (let index = 0; index < count; index += 1) {
    const fraction = count === 1 ? 0 : index / (count - 1);
    const beta =
      config.betaSchedule === 'scaled_linear'
        ? (Math.sqrt(config.betaStart) + fraction * (Math.sqrt(config.betaEnd) - Math.sqrt(config.betaStart))) ** 2
        : config.betaStart + fraction * (config.betaEnd - config.betaStart);
    alphaProduct *= 1 - beta;
    sigmas[index] = Math.sqrt((1 - alphaProduct) / alphaProduct);
  }
  return sigmas;
}

/** Timesteps and noise levels of a run of `steps` steps. */
export function eulerAncestralSchedule(config: SchedulerConfig, steps: number): Schedule {
  if (!Number.isInteger(steps) || steps < 1 || steps > config.trainTimesteps)
    throw new RangeError(`steps must be an integer from 1 to ${config.trainTimesteps}`);
  const all = trainingSigmas(config);
  const ratio = config.trainTimesteps / steps;
  // Trailing spacing: round(T − i·T/N) − 1, so the first step always starts from pure noise.
  const timesteps = Array.from({ length: steps }, (_, index) => Math.round(config.trainTimesteps - index * ratio) - 1);
  const sigmas = [...timesteps.map((timestep) => all[timestep] ?? 0), 0];
  return { timesteps, sigmas, initNoiseSigma: sigmas[0] ?? 1 };
}

/** The UNet's input at noise level σ: the latents scaled to unit variance. */
export function scaleModelInput(latents: Float32Array, sigma: number): Float32Array {
  const scale = 1 / Math.sqrt(sigma * sigma + 1);
  const scaled = new Float32Array(latents.length);
  for (let index = 0; index < latents.length; index += 1) scaled[index] = (latents[index] ?? 0) * scale;
  return scaled;
}

/**
 * One Euler ancestral step from σ to σ_next, in place: denoise to the predicted clean latents,
 * step deterministically down to σ_down, then add fresh noise of σ_up (none on the last step).
 */
export function eulerAncestralStep(
  latents: Float32Array,
  noisePrediction: Float32Array,
  sigma: number,
  sigmaNext: number,
  noise: GaussianSource,
): void {
  const sigmaUp =
    sigmaNext === 0
      ? 0
      : Math.sqrt((sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext)) / (sigma * sigma));
  const sigmaDown = Math.sqrt(Math.max(0, sigmaNext * sigmaNext - sigmaUp * sigmaUp));
  const dt = sigmaDown - sigma;
  for (let index = 0; index < latents.length; index += 1) {
    // derivative = (x − x̂₀) / σ = ε̂ for an epsilon-predicting model.
    latents[index] = (latents[index] ?? 0) + (noisePrediction[index] ?? 0) * dt;
  }
  if (sigmaUp > 0)
    for (let index = 0; index < latents.length; index += 1)
      latents[index] = (latents[index] ?? 0) + noise.next() * sigmaUp;
}
