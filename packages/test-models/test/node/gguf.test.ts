import { describe, expect, it } from 'vitest';
import { generateLlamaGguf, GGML_TYPE, TINY_CHAT_TEMPLATE, TINY_SHAPE, toFloat16Bits } from '@ai-blocks/test-models';

/** Reads the GGUF header and metadata keys back (an independent reader of what the writer wrote). */
function readHeader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  let offset = 0;
  const u32 = () => { const value = view.getUint32(offset, true); offset += 4; return value; };
  const u64 = () => { const value = Number(view.getBigUint64(offset, true)); offset += 8; return value; };
  const string = () => { const length = u64(); const value = decoder.decode(bytes.subarray(offset, offset + length)); offset += length; return value; };
  const skip = (type: number): unknown => {
    switch (type) {
      case 4: case 5: case 6: return u32();
      case 7: offset += 1; return bytes[offset - 1] === 1;
      case 8: return string();
      case 9: { const inner = u32(); const count = u64(); const values = []; for (let index = 0; index < count; index += 1) values.push(skip(inner)); return values; }
      default: throw new Error(`type ${type}`);
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
  const tensors: { name: string; dims: number[]; type: number }[] = [];
  for (let index = 0; index < tensorCount; index += 1) {
    const name = string();
    const dims = Array.from({ length: u32() }, () => u64());
    const type = u32();
    u64();
    tensors.push({ name, dims, type });
  }
  return { magic, version, metadata, tensors };
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
    expect(header.tensors[0]).toEqual({ name: 'token_embd.weight', dims: [64, 260], type: GGML_TYPE.F32 });
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
