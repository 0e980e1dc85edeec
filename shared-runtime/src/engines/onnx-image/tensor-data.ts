/**
 * Tensors as plain data, the form they cross the worker boundary in, and the conversions the
 * pipeline needs: fp16 models take and give half floats (as Uint16Array), the pipeline's
 * arithmetic is float32.
 */

export type TensorType = 'float32' | 'float16' | 'int32' | 'int64';

export interface TensorData {
  type: TensorType;
  data: Float32Array | Uint16Array | Int32Array | BigInt64Array;
  dims: number[];
}

/** Half-precision bits of a float (round to nearest even). */
export function toHalf(value: number): number {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 112;
  if (halfExponent >= 31) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (rest > halfway || (rest === halfway && (half & 1) === 1) ? half + 1 : half);
  }
  const half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? half + 1 : half);
}

/** The float a half-precision bit pattern stands for. */
export function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Floats as a tensor of the type a model input wants. */
export function floatTensor(values: Float32Array, dims: number[], type: TensorType): TensorData {
  if (type === 'float16') return { type, data: Uint16Array.from(values, toHalf), dims };
  if (type === 'float32') return { type, data: values, dims };
  throw new Error(`Expected a float input, the model wants ${type}`);
}

/** Integers as a tensor of the type a model input wants. */
export function intTensor(values: readonly number[], dims: number[], type: TensorType): TensorData {
  switch (type) {
    case 'int32':
      return { type, data: Int32Array.from(values), dims };
    case 'int64':
      return { type, data: BigInt64Array.from(values, (value) => BigInt(value)), dims };
    case 'float32':
      return { type, data: Float32Array.from(values), dims };
    case 'float16':
      return { type, data: Uint16Array.from(values, toHalf), dims };
  }
}

/** A float tensor's values as float32. */
export function toFloat32(tensor: TensorData): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') return Float32Array.from(tensor.data as Uint16Array, fromHalf);
  throw new Error(`Expected a float output, the model gave ${tensor.type}`);
}
