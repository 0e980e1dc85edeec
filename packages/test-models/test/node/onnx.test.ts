import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import {
  encodeOnnxModel,
  generateTinyDiffusion,
  ONNX_TYPE,
  TINY_DIFFUSION_WORDS,
  tinyDiffusionTokenizer,
} from '@ai-blocks/test-models';
import { sha256Hex, tinyDiffusionWithChecksums } from '@ai-blocks/test-models/node';

type Field = { field: number; wire: number; value: bigint | Uint8Array | number };

/** An independent protobuf reader: the fields of one message, in order. */
function fields(bytes: Uint8Array): Field[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Field[] = [];
  let offset = 0;
  const varint = () => {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++] ?? 0;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7n;
    }
  };
  while (offset < bytes.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      out.push({ field, wire, value: bytes.subarray(offset, offset + length) });
      offset += length;
    } else if (wire === 5) {
      out.push({ field, wire, value: view.getFloat32(offset, true) });
      offset += 4;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
const text = (value: Field['value']) => new TextDecoder().decode(value as Uint8Array);
const messages = (list: Field[], field: number) =>
  list.filter((entry) => entry.field === field).map((entry) => fields(entry.value as Uint8Array));

const addModel = () =>
  encodeOnnxModel({
    graph: {
      name: 'add',
      inputs: [{ name: 'x', type: ONNX_TYPE.FLOAT, shape: ['batch', 3] }],
      outputs: [{ name: 'y', type: ONNX_TYPE.FLOAT, shape: ['batch', 3] }],
      initializers: [{ name: 'bias', dims: [3], type: ONNX_TYPE.FLOAT, data: [0.5, -1, 2] }],
      nodes: [
        { opType: 'Add', inputs: ['x', 'bias'], outputs: ['sum'] },
        { opType: 'Softmax', inputs: ['sum'], outputs: ['y'], attributes: [{ name: 'axis', type: 'int', value: -1 }] },
      ],
    },
  });

describe('ONNX writer', () => {
  it('writes ModelProto fields an independent protobuf reader reads back', () => {
    const model = fields(addModel());
    expect(model.find((entry) => entry.field === 1)?.value).toBe(8n); // ir_version
    const [opset] = messages(model, 8);
    expect(opset?.find((entry) => entry.field === 2)?.value).toBe(17n);
    const [graph = []] = messages(model, 7);
    expect(text(graph.find((entry) => entry.field === 2)?.value ?? new Uint8Array())).toBe('add');
    const nodes = messages(graph, 1);
    expect(nodes.map((node) => text(node.find((entry) => entry.field === 4)?.value ?? new Uint8Array()))).toEqual([
      'Add',
      'Softmax',
    ]);
    const [axis = []] = messages(nodes[1] ?? [], 5);
    // A negative int64 is a 10-byte two's-complement varint.
    expect(BigInt.asIntN(64, axis.find((entry) => entry.field === 3)?.value as bigint)).toBe(-1n);
    expect(axis.find((entry) => entry.field === 20)?.value).toBe(2n); // AttributeType INT
    const [bias = []] = messages(graph, 5);
    const raw = bias.find((entry) => entry.field === 9)?.value as Uint8Array;
    expect(Array.from(new Float32Array(raw.slice().buffer))).toEqual([0.5, -1, 2]);
    const [input = []] = messages(graph, 11);
    expect(text(input.find((entry) => entry.field === 1)?.value ?? new Uint8Array())).toBe('x');
  });

  it('writes graphs onnxruntime runs, with exact results', async () => {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(addModel());
    const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array([0, 1, 0]), [1, 3]) });
    const sums = [0.5, 0, 2].map(Math.exp);
    const total = sums.reduce((a, b) => a + b, 0);
    expect(Array.from(y?.data as Float32Array).map((value) => value.toFixed(5))).toEqual(
      sums.map((value) => (value / total).toFixed(5)),
    );
    await session.release();
  });
});

describe('tiny diffusion model', () => {
  it('is byte-identical on every run, with the SD-Turbo web export’s file layout and I/O names', async () => {
    const first = generateTinyDiffusion();
    const second = generateTinyDiffusion();
    expect([...first.files.keys()]).toEqual([
      'manifest.json',
      'text_encoder/model.onnx',
      'unet/model.onnx',
      'vae_decoder/model.onnx',
      'tokenizer/vocab.json',
      'tokenizer/merges.txt',
    ]);
    for (const [path, bytes] of first.files)
      expect(sha256Hex(bytes), path).toBe(sha256Hex(second.files.get(path) ?? new Uint8Array()));
    const expected = {
      'text_encoder/model.onnx': { inputs: ['input_ids'], types: ['int32'], outputs: ['last_hidden_state'] },
      'unet/model.onnx': {
        inputs: ['sample', 'timestep', 'encoder_hidden_states'],
        types: ['float32', 'int64', 'float32'],
        outputs: ['out_sample'],
      },
      'vae_decoder/model.onnx': { inputs: ['latent_sample'], types: ['float32'], outputs: ['sample'] },
    };
    for (const [path, io] of Object.entries(expected)) {
      const session = await ort.InferenceSession.create(first.files.get(path) ?? new Uint8Array());
      expect(session.inputNames, path).toEqual(io.inputs);
      expect(
        session.inputMetadata.map((input) => (input.isTensor ? input.type : 'other')),
        path,
      ).toEqual(io.types);
      expect(session.outputNames, path).toEqual(io.outputs);
      await session.release();
    }
    // Pinned: any change to the writer or the weights changes these (and the browser test's PNG).
    expect(sha256Hex(first.files.get('unet/model.onnx') ?? new Uint8Array())).toBe(
      'f5898995d7f680e6f04ee0a89294bcc6f51ed6bf85b631fc929fea2da5c11d1f',
    );
  });

  it('lists each part’s size and, from Node, its SHA-256 in the manifest', () => {
    const model = tinyDiffusionWithChecksums();
    const manifest = JSON.parse(new TextDecoder().decode(model.files.get('manifest.json'))) as Record<
      string,
      { file: string; bytes: number; sha256: string }
    >;
    for (const part of ['textEncoder', 'unet', 'vaeDecoder']) {
      const entry = manifest[part];
      const bytes = model.files.get(entry?.file ?? '') ?? new Uint8Array();
      expect(entry?.bytes, part).toBe(bytes.length);
      expect(entry?.sha256, part).toBe(sha256Hex(bytes));
    }
  });

  it('has a CLIP-format vocabulary: 512 byte tokens, one per merge, then the start and end tokens', () => {
    const { vocab, merges } = tinyDiffusionTokenizer();
    const lines = merges.trimEnd().split('\n');
    expect(lines[0]).toBe('#version: 0.2');
    expect(vocab['!']).toBe(0);
    expect(vocab['!</w>']).toBe(256);
    expect(Object.keys(vocab)).toHaveLength(512 + lines.length - 1 + 2);
    expect(vocab['<|endoftext|>']).toBe(Object.keys(vocab).length - 1);
    for (const word of TINY_DIFFUSION_WORDS) expect(vocab[`${word}</w>`], word).toBeTypeOf('number');
  });
});
