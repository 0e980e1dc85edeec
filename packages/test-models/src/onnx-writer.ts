/**
 * A small ONNX writer: the few protobuf messages of `onnx.proto` a model needs (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), encoded by hand.
 * Pure TypeScript producing a Uint8Array, so it runs in Node and in the browser; fields are
 * written in a fixed order, so the same graph always gives the same bytes.
 */
import { toFloat16Bits } from './gguf-writer.js';

/** ONNX `TensorProto.DataType` values this writer can encode. */
export const ONNX_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
export type OnnxType = (typeof ONNX_TYPE)[keyof typeof ONNX_TYPE];

/** A constant tensor (an initializer or an attribute value). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  type: OnnxType;
  /** FLOAT and FLOAT16 take floats, INT32 and INT64 take integers; row-major. */
  data: Float32Array | Int32Array | number[];
}

/** A graph input or output: a name, an element type and a shape (numbers or symbolic names). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxType;
  shape: (number | string)[];
}

export type OnnxAttribute =
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'floats'; value: number[] }
  | { name: string; type: 'ints'; value: number[] }
  | { name: string; type: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  /** Names of input values; '' for an omitted optional input. */
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: OnnxAttribute[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Default opset 17 (supported by onnxruntime-web's WebAssembly and WebGPU providers). */
  opset?: number;
  /** Default IR version 8 (the one that goes with opset 17). */
  irVersion?: number;
  producerName?: string;
  docString?: string;
}

const encoder = new TextEncoder();

/** Appends protobuf fields (wire types 0, 2 and 5) to a growing buffer. */
class ProtoWriter {
  private buffer = new Uint8Array(1 << 12);
  private length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length;
    while (size < this.length + bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /** Unsigned or negative (two's complement, 10 bytes) varint of an int64 value. */
  varint(value: number | bigint): void {
    let rest = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest !== 0n) byte |= 0x80;
      this.buffer[this.length] = byte;
      this.length += 1;
    } while (rest !== 0n);
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, encoder.encode(value));
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
  }

  message(field: number, write: (writer: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.bytes(field, inner.result());
  }

  packedInts(field: number, values: readonly number[]): void {
    const inner = new ProtoWriter();
    for (const value of values) inner.varint(value);
    this.bytes(field, inner.result());
  }

  packedFloats(field: number, values: readonly number[]): void {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((value, index) => {
      view.setFloat32(index * 4, value, true);
    });
    this.bytes(field, bytes);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Little-endian bytes of a tensor's values (`raw_data`), the form every runtime reads fastest. */
function rawData(tensor: OnnxTensor): Uint8Array {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (tensor.data.length !== count)
    throw new Error(`tensor ${tensor.name}: ${tensor.data.length} values for shape [${tensor.dims.join(', ')}]`);
  const width = tensor.type === ONNX_TYPE.INT64 ? 8 : tensor.type === ONNX_TYPE.FLOAT16 ? 2 : 4;
  const bytes = new Uint8Array(count * width);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < count; index += 1) {
    const value = tensor.data[index] ?? 0;
    if (tensor.type === ONNX_TYPE.FLOAT) view.setFloat32(index * 4, value, true);
    else if (tensor.type === ONNX_TYPE.FLOAT16) view.setUint16(index * 2, toFloat16Bits(value), true);
    else if (tensor.type === ONNX_TYPE.INT32) view.setInt32(index * 4, value, true);
    else view.setBigInt64(index * 8, BigInt(value), true);
  }
  return bytes;
}

function writeTensor(writer: ProtoWriter, tensor: OnnxTensor): void {
  if (tensor.dims.length > 0) writer.packedInts(1, tensor.dims);
  writer.int(2, tensor.type);
  writer.string(8, tensor.name);
  writer.bytes(9, rawData(tensor));
}

function writeValueInfo(writer: ProtoWriter, info: OnnxValueInfo): void {
  writer.string(1, info.name);
  writer.message(2, (type) => {
    type.message(1, (tensorType) => {
      tensorType.int(1, info.type);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (dimension) => {
            if (typeof dim === 'number') dimension.int(1, dim);
            else dimension.string(2, dim);
          });
        }
      });
    });
  });
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function writeAttribute(writer: ProtoWriter, attribute: OnnxAttribute): void {
  writer.string(1, attribute.name);
  switch (attribute.type) {
    case 'float':
      writer.float(2, attribute.value);
      break;
    case 'int':
      writer.int(3, attribute.value);
      break;
    case 'string':
      writer.string(4, attribute.value);
      break;
    case 'tensor':
      writer.message(5, (inner) => {
        writeTensor(inner, attribute.value);
      });
      break;
    case 'floats':
      writer.packedFloats(7, attribute.value);
      break;
    case 'ints':
      writer.packedInts(8, attribute.value);
      break;
  }
  writer.int(20, ATTRIBUTE_TYPE[attribute.type]);
}

function writeNode(writer: ProtoWriter, node: OnnxNode, index: number): void {
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  writer.string(3, node.name ?? `${node.opType}_${index}`);
  writer.string(4, node.opType);
  for (const attribute of node.attributes ?? [])
    writer.message(5, (inner) => {
      writeAttribute(inner, attribute);
    });
}

/** Encodes a model as ONNX protobuf bytes (a `.onnx` file). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const writer = new ProtoWriter();
  writer.int(1, model.irVersion ?? 8);
  writer.string(2, model.producerName ?? 'ai-blocks-test-models');
  if (model.docString) writer.string(6, model.docString);
  writer.message(7, (graph) => {
    model.graph.nodes.forEach((node, index) => {
      graph.message(1, (inner) => {
        writeNode(inner, node, index);
      });
    });
    graph.string(2, model.graph.name);
    for (const tensor of model.graph.initializers)
      graph.message(5, (inner) => {
        writeTensor(inner, tensor);
      });
    for (const input of model.graph.inputs)
      graph.message(11, (inner) => {
        writeValueInfo(inner, input);
      });
    for (const output of model.graph.outputs)
      graph.message(12, (inner) => {
        writeValueInfo(inner, output);
      });
  });
  writer.message(8, (opset) => {
    opset.string(1, '');
    opset.int(2, model.opset ?? 17);
  });
  return writer.result();
}
