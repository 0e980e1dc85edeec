import { describe, expect, it } from 'vitest';
import { fromHalf, toHalf } from '@ai-blocks/runtime';

// fp16 models (SD-Turbo's web export) take and give half floats; the pipeline converts.
describe('half-precision conversion', () => {
  it('gives the IEEE bit patterns of exact values, infinities and NaN', () => {
    expect([1, -2, 0.5, 65504, 2 ** -24, 0].map(toHalf)).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x0000]);
    expect(toHalf(-0)).toBe(0x8000);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(-Infinity)).toBe(0xfc00);
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
  });

  it('rounds to nearest even and round-trips every half value', () => {
    // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to the even one.
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    for (let bits = 0; bits < 0x7c00; bits += 1) expect(toHalf(fromHalf(bits))).toBe(bits);
    expect(fromHalf(0x3555)).toBeCloseTo(1 / 3, 3);
  });
});
