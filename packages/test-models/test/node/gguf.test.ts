import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateLlamaGguf,
  GGML_TYPE,
  SMOLLM2_135M_SHAPE,
  TINY_CHAT_TEMPLATE,
  TINY_MODEL_BYTES,
  TINY_MODEL_EXPECTED,
  TINY_MODEL_SHA256,
  TINY_SHAPE,
  tinyModelContinuation,
  toFloat16Bits,
} from '@ai-blocks/test-models';
import { sha256Hex, writeTinyModelToTemp } from '@ai-blocks/test-models/node';

/** Reads the GGUF header and metadata keys back (an independent reader of what the writer wrote). */
function readHeader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  let offset = 0;
  const u32 = () => {
    const value = view.getUint32(offset, true);
    offset += 4;
    return value;
  };
  const u64 = () => {
    const value = Number(view.getBigUint64(offset, true));
    offset += 8;
    return value;
  };
  const string = () => {
    const length = u64();
    const value = decoder.decode(bytes.subarray(offset, offset + length));
    offset += length;
    return value;
  };
  const skip = (type: number): unknown => {
    switch (type) {
      case 4:
      case 5:
      case 6:
        return u32();
      case 7:
        offset += 1;
        return bytes[offset - 1] === 1;
      case 8:
        return string();
      case 9: {
        const inner = u32();
        const count = u64();
        const values = [];
        for (let index = 0; index < count; index += 1) values.push(skip(inner));
        return values;
      }
      default:
        throw new Error(`type ${type}`);
    }
  };
  const magic = decoder.decode(bytes.subarray(0, 4));
  offset = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, unknown>();
  for (let index = 0; index < kvCount; index += 1) {
    const key = string();
    metadata.set(key, skip(u32()));
  }
  const tensors: { name: string; dims: number[]; type: number; dataOffset: number }[] = [];
  for (let index = 0; index < tensorCount; index += 1) {
    const name = string();
    const dims = Array.from({ length: u32() }, () => u64());
    const type = u32();
    const dataOffset = u64();
    tensors.push({ name, dims, type, dataOffset });
  }
  const dataStart = Math.ceil(offset / 32) * 32;
  return { magic, version, metadata, tensors, dataStart };
}

describe('tiny GGUF generator', () => {
  it('writes a GGUF v3 llama model with tokenizer and chat template', () => {
    const header = readHeader(generateLlamaGguf());
    expect(header.magic).toBe('GGUF');
    expect(header.version).toBe(3);
    expect(header.metadata.get('general.architecture')).toBe('llama');
    expect(header.metadata.get('llama.embedding_length')).toBe(64);
    expect(header.metadata.get('tokenizer.chat_template')).toBe(TINY_CHAT_TEMPLATE);
    expect((header.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBe(260);
    expect(header.tensors).toHaveLength(3 + TINY_SHAPE.layers * 9);
    expect(header.tensors[0]).toMatchObject({ name: 'token_embd.weight', dims: [64, 260], type: GGML_TYPE.F32 });
    expect(header.tensors.map((tensor) => tensor.name)).toContain('blk.1.ffn_down.weight');
  });

  it('lays the tensor data out aligned, ending exactly at the end of the file', () => {
    const bytes = generateLlamaGguf();
    const { tensors, dataStart } = readHeader(bytes);
    for (const tensor of tensors) expect(tensor.dataOffset % 32).toBe(0);
    const last = tensors.at(-1);
    if (!last) throw new Error('no tensors');
    const lastBytes = last.dims.reduce((product, dim) => product * dim, 4);
    expect(Math.ceil((dataStart + last.dataOffset + lastBytes) / 32) * 32).toBe(bytes.length);
    // The first row of the embedding is the `<unk>` token's one-hot "other" class (index 36).
    const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, 64 * 4);
    expect(Array.from({ length: 64 }, (_, index) => view.getFloat32(index * 4, true)).indexOf(1)).toBe(36);
  });

  it('matches the pinned size and hash other tests rely on', () => {
    const bytes = generateLlamaGguf();
    expect(bytes.length).toBe(TINY_MODEL_BYTES);
    expect(sha256Hex(bytes)).toBe(TINY_MODEL_SHA256);
  });

  it('writes the model to a file from Node', () => {
    const path = writeTinyModelToTemp();
    try {
      expect(sha256Hex(readFileSync(path))).toBe(TINY_MODEL_SHA256);
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });

  it('describes the SmolLM2-135M shape in its metadata', () => {
    // Only the header is checked: with the vocabulary cut to 260 the file stays small.
    const header = readHeader(generateLlamaGguf({ ...SMOLLM2_135M_SHAPE, vocab: 260, layers: 2 }));
    expect(header.metadata.get('llama.embedding_length')).toBe(576);
    expect(header.metadata.get('llama.attention.head_count')).toBe(9);
    expect(header.metadata.get('llama.attention.head_count_kv')).toBe(3);
    expect(header.metadata.get('llama.feed_forward_length')).toBe(1536);
    expect(header.tensors.find((tensor) => tensor.name === 'blk.0.attn_k.weight')).toMatchObject({
      dims: [576, 192],
      type: GGML_TYPE.Q8_0,
    });
  });

  it('is byte-identical on every run', () => {
    expect(Buffer.from(generateLlamaGguf()).equals(Buffer.from(generateLlamaGguf()))).toBe(true);
  });

  it('encodes Q8_0 and f16 variants', () => {
    const q8 = generateLlamaGguf({ ...TINY_SHAPE, tensorType: GGML_TYPE.Q8_0 });
    expect(q8.length).toBeLessThan(generateLlamaGguf().length / 2);
    expect(readHeader(q8).tensors[0]?.type).toBe(GGML_TYPE.Q8_0);
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
  });
});

describe('the expected outputs', () => {
  it('follow the documented rules', () => {
    expect(tinyModelContinuation('assistant:', 100)).toEqual({ text: TINY_MODEL_EXPECTED.chatReply, finish: 'stop' });
    expect(TINY_MODEL_EXPECTED.chatReply).toHaveLength(TINY_MODEL_EXPECTED.chatReplyTokens);
    expect(tinyModelContinuation('hello q', 100)).toEqual({ text: TINY_MODEL_EXPECTED.afterQ, finish: 'stop' });
    expect(tinyModelContinuation('x5', 40)).toEqual({ text: TINY_MODEL_EXPECTED.countFrom5(40), finish: 'length' });
    expect(tinyModelContinuation('HI', 3)).toEqual({ text: 'jkl', finish: 'length' });
  });
});
