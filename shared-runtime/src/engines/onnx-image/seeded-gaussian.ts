/**
 * A seeded Gaussian random source for the initial latents and the ancestral noise: the same
 * seed gives the same numbers in every V8 (Chromium, Node). sfc32 for the uniforms (seeded
 * through splitmix32, so nearby seeds give unrelated streams), Box–Muller for the normals.
 */

/** Largest seed accepted: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
    value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
    return (value ^ (value >>> 16)) >>> 0;
  };
}

/** A stream of 32-bit unsigned integers (sfc32). */
export function seededUint32(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new RangeError(`A seed is an integer from 0 to ${MAX_SEED}, not ${seed}`);
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs, as sfc32's authors advise.
  for (let index = 0; index < 12; index += 1) next();
  return next;
}

/** Standard normal samples; `fill` writes the next `array.length` of them, scaled by `scale`. */
export interface GaussianSource {
  next(): number;
  fill(array: Float32Array, scale?: number): Float32Array;
}

export function seededGaussian(seed: number): GaussianSource {
  const uint32 = seededUint32(seed);
  let spare: number | undefined;
  const next = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    // (0, 1): never 0, so the logarithm is finite.
    const u1 = (uint32() + 0.5) / 4294967296;
    const u2 = uint32() / 4294967296;
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
  return {
    next,
    fill(array, scale = 1) {
      for (let index = 0; index < array.length; index += 1) array[index] = next() * scale;
      return array;
    },
  };
}

/** A fresh random seed, for a call that does not give one. */
export function randomSeed(): number {
  const values = new Uint32Array(1);
  crypto.getRandomValues(values);
  return values[0] ?? 0;
}
