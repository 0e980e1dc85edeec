/**
 * A small GGUF (v3) writer: metadata key/values, tensor infos and aligned tensor data.
 * Pure TypeScript producing a Uint8Array, so it runs in Node and in the browser.
 */

export const GGUF_VALUE_TYPE = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10 } as const;

/** ggml tensor types this writer can encode. */
export const GGML_TYPE = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type GgmlType = (typeof GGML_TYPE)[keyof typeof GGML_TYPE];

export type MetadataValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'f32[]'; value: Float32Array | number[] }
  | { type: 'i32[]'; value: Int32Array | number[] };

export interface TensorSpec {
  name: string;
  /** ggml order: dims[0] is the contiguous (innermost) dimension. */
  dims: number[];
  type: GgmlType;
  /** Values in row-major ggml order (dims[0] fastest), length = product of dims. */
  data: Float32Array;
}

const ALIGNMENT = 32;
const encoder = new TextEncoder();

/** Grows a byte buffer as values are appended. */
class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length;
    while (size < this.length + bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }
  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }
  i32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }
  u64(value: number): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(value), true);
    this.length += 8;
  }
  f32(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }
  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }
  i8(value: number): void {
    this.reserve(1);
    this.view.setInt8(this.length, value);
    this.length += 1;
  }
  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }
  string(value: string): void {
    const bytes = encoder.encode(value);
    this.u64(bytes.length);
    this.bytes(bytes);
  }
  pad(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** IEEE half precision from a float (round to nearest even). */
export function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  let exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa = (mantissa | 0x800000) >> (1 - exponent);
    return sign | ((mantissa + 0x1000) >> 13);
  }
  const rounded = mantissa + 0xfff + ((mantissa >> 13) & 1);
  if (rounded & 0x800000) {
    mantissa = 0;
    exponent += 1;
    if (exponent >= 31) return sign | 0x7c00;
  } else mantissa = rounded;
  return sign | (exponent << 10) | (mantissa >> 13);
}

function tensorBytes(spec: TensorSpec): number {
  const count = spec.data.length;
  if (spec.type === GGML_TYPE.F32) return count * 4;
  if (spec.type === GGML_TYPE.F16) return count * 2;
  return (count / 32) * 34;
}

function writeTensorData(sink: ByteSink, spec: TensorSpec): void {
  const { data } = spec;
  if (spec.type === GGML_TYPE.F32) {
    for (const value of data) sink.f32(value);
  } else if (spec.type === GGML_TYPE.F16) {
    for (const value of data) sink.u16(toFloat16Bits(value));
  } else {
    // Q8_0: blocks of 32 values, an f16 scale then 32 signed bytes.
    for (let block = 0; block < data.length; block += 32) {
      let max = 0;
      for (let index = 0; index < 32; index += 1) max = Math.max(max, Math.abs(data[block + index] ?? 0));
      const scale = max / 127;
      sink.u16(toFloat16Bits(scale));
      for (let index = 0; index < 32; index += 1)
        sink.i8(scale === 0 ? 0 : Math.round((data[block + index] ?? 0) / scale));
    }
  }
}

/** Serialises metadata and tensors as a GGUF v3 file. */
export function writeGguf(metadata: [string, MetadataValue][], tensors: TensorSpec[]): Uint8Array {
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (count !== tensor.data.length)
      throw new Error(`${tensor.name}: ${tensor.data.length} values for dims ${tensor.dims.join('×')}`);
    if (tensor.type === GGML_TYPE.Q8_0 && (tensor.dims[0] ?? 0) % 32 !== 0)
      throw new Error(`${tensor.name}: Q8_0 needs rows that are a multiple of 32`);
  }
  const sink = new ByteSink();
  sink.bytes(encoder.encode('GGUF'));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(metadata.length);
  for (const [key, entry] of metadata) {
    sink.string(key);
    switch (entry.type) {
      case 'u32':
        sink.u32(GGUF_VALUE_TYPE.UINT32);
        sink.u32(entry.value);
        break;
      case 'i32':
        sink.u32(GGUF_VALUE_TYPE.INT32);
        sink.i32(entry.value);
        break;
      case 'f32':
        sink.u32(GGUF_VALUE_TYPE.FLOAT32);
        sink.f32(entry.value);
        break;
      case 'bool':
        sink.u32(GGUF_VALUE_TYPE.BOOL);
        sink.u8(entry.value ? 1 : 0);
        break;
      case 'string':
        sink.u32(GGUF_VALUE_TYPE.STRING);
        sink.string(entry.value);
        break;
      case 'string[]':
        sink.u32(GGUF_VALUE_TYPE.ARRAY);
        sink.u32(GGUF_VALUE_TYPE.STRING);
        sink.u64(entry.value.length);
        for (const value of entry.value) sink.string(value);
        break;
      case 'f32[]':
        sink.u32(GGUF_VALUE_TYPE.ARRAY);
        sink.u32(GGUF_VALUE_TYPE.FLOAT32);
        sink.u64(entry.value.length);
        for (const value of entry.value) sink.f32(value);
        break;
      case 'i32[]':
        sink.u32(GGUF_VALUE_TYPE.ARRAY);
        sink.u32(GGUF_VALUE_TYPE.INT32);
        sink.u64(entry.value.length);
        for (const value of entry.value) sink.i32(value);
        break;
    }
  }
  let offset = 0;
  for (const tensor of tensors) {
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(tensor.type);
    sink.u64(offset);
    offset += tensorBytes(tensor);
    offset = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
  }
  sink.pad(ALIGNMENT);
  for (const tensor of tensors) {
    writeTensorData(sink, tensor);
    sink.pad(ALIGNMENT);
  }
  return sink.result();
}
