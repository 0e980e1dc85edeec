import { describe, expect, it } from 'vitest';
import {
  eulerAncestralSchedule,
  eulerAncestralStep,
  scaleModelInput,
  seededGaussian,
  type SchedulerConfig,
} from '@ai-blocks/runtime';

const SD: SchedulerConfig = { trainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' };

describe('Euler ancestral scheduler (trailing spacing)', () => {
  it('starts every run from t = 999 at SD’s largest noise level, like SD-Turbo’s one-step sampler', () => {
    const one = eulerAncestralSchedule(SD, 1);
    expect(one.timesteps).toEqual([999]);
    // Microsoft's SD-Turbo sample hard-codes sigma = 14.6146 for t = 999.
    expect(one.sigmas[0]).toBeCloseTo(14.6146, 3);
    expect(one.sigmas[1]).toBe(0);
    expect(one.initNoiseSigma).toBe(one.sigmas[0]);
  });

  it('spaces few-step runs as diffusers’ "trailing" does', () => {
    expect(eulerAncestralSchedule(SD, 2).timesteps).toEqual([999, 499]);
    expect(eulerAncestralSchedule(SD, 3).timesteps).toEqual([999, 666, 332]);
    expect(eulerAncestralSchedule(SD, 4).timesteps).toEqual([999, 749, 499, 249]);
    const sigmas = eulerAncestralSchedule(SD, 4).sigmas;
    for (let index = 1; index < sigmas.length; index += 1)
      expect(sigmas[index] ?? 0).toBeLessThan(sigmas[index - 1] ?? 0);
    // σ(0) = √(β₀ / (1 − β₀)).
    expect(eulerAncestralSchedule(SD, 1000).sigmas[999]).toBeCloseTo(Math.sqrt(0.00085 / 0.99915), 6);
    expect(() => eulerAncestralSchedule(SD, 0)).toThrow(RangeError);
  });

  it('scales the model input to unit variance', () => {
    expect(Array.from(scaleModelInput(new Float32Array([3, -4]), Math.sqrt(3)))).toEqual([1.5, -2]);
  });

  it('denoises straight to x̂₀ = x − σ·ε̂ on the last step, adding no noise', () => {
    const latents = new Float32Array([10, -5, 0.5]);
    const noise = seededGaussian(1);
    eulerAncestralStep(latents, new Float32Array([0.5, -0.25, 0]), 14, 0, noise);
    expect(Array.from(latents)).toEqual([3, -1.5, 0.5]);
    // No noise was drawn.
    expect(noise.next()).toBe(seededGaussian(1).next());
  });

  it('between steps goes down to σ_down and adds noise of σ_up, with σ_up² + σ_down² = σ_next²', () => {
    const sigma = 10;
    const next = 4;
    const latents = new Float32Array(20_000);
    eulerAncestralStep(latents, new Float32Array(20_000).fill(1), sigma, next, seededGaussian(7));
    const up = Math.sqrt((next ** 2 * (sigma ** 2 - next ** 2)) / sigma ** 2);
    const down = Math.sqrt(next ** 2 - up ** 2);
    const mean = latents.reduce((sum, value) => sum + value, 0) / latents.length;
    const variance = latents.reduce((sum, value) => sum + (value - mean) ** 2, 0) / latents.length;
    expect(mean).toBeCloseTo(down - sigma, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(up, 1);
  });
});

describe('seeded Gaussian noise', () => {
  it('gives the same numbers for the same seed and different ones for another', () => {
    const a = seededGaussian(42).fill(new Float32Array(8));
    expect(Array.from(seededGaussian(42).fill(new Float32Array(8)))).toEqual(Array.from(a));
    expect(Array.from(seededGaussian(43).fill(new Float32Array(8)))).not.toEqual(Array.from(a));
  });

  it('is standard normal', () => {
    const values = seededGaussian(2026).fill(new Float32Array(200_000));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    const within1 = values.filter((value) => Math.abs(value) < 1).length / values.length;
    expect(within1).toBeCloseTo(0.6827, 2);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('takes unsigned 32-bit seeds only', () => {
    expect(() => seededGaussian(-1)).toThrow(RangeError);
    expect(() => seededGaussian(1.5)).toThrow(RangeError);
    expect(() => seededGaussian(2 ** 32)).toThrow(RangeError);
    expect(Number.isFinite(seededGaussian(2 ** 32 - 1).next())).toBe(true);
  });
});
