import { GGML_TYPE, writeGguf, type GgmlType, type MetadataValue, type TensorSpec } from './gguf-writer.js';

/** The shape of a generated llama-architecture model. */
export interface LlamaShape {
  name: string;
  embedding: number;
  layers: number;
  heads: number;
  kvHeads: number;
  feedForward: number;
  /** At least 260 (specials, 256 bytes, ▁); more pads the vocabulary with unused tokens. */
  vocab: number;
  context: number;
  tensorType: GgmlType;
  seed: number;
}

/** The deterministic test model: 0.44 MB, f32, byte-level vocabulary. */
export const TINY_SHAPE: LlamaShape = {
  name: 'ai-blocks-tiny',
  embedding: 64,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  feedForward: 128,
  vocab: 260,
  context: 512,
  tensorType: GGML_TYPE.F32,
  seed: 1,
};

/**
 * SmolLM2-135M's dimensions for benchmarks (Q8_0, 174.6 MB, generated in about 5 s): real matrix
 * sizes and real compute (Q/K/V/gate/up are seeded random), but the same hand-set embedding and
 * output as the tiny model, so it answers by the same rules ({@link TINY_MODEL_EXPECTED}) and a
 * prompt ending in a digit produces exactly as many tokens as asked. Unlike SmolLM2 its
 * `output` matrix is not tied to the embedding (about 28 M parameters more).
 */
export const SMOLLM2_135M_SHAPE: LlamaShape = {
  name: 'smollm2-135m-shaped',
  embedding: 576,
  layers: 30,
  heads: 9,
  kvHeads: 3,
  feedForward: 1536,
  vocab: 49152,
  context: 2048,
  tensorType: GGML_TYPE.Q8_0,
  seed: 7,
};

/**
 * What the tiny model answers under greedy decoding (and at any temperature: the winning
 * logit leads by 32). Only the last token of the prompt matters (every block is an identity):
 * a letter continues the alphabet up to `z` and then emits end of sequence; a digit counts
 * `0…9 0…` for ever (use it to hit the token limit, to abort, or to benchmark); anything else
 * (including the `:` the chat template ends with) starts at `a`. Each output character is
 * one token. Verified with node-llama-cpp 3.22.1 (tests/node/model-server) and, per the
 * project's reference notes, identical in wllama 3.8.1 in Chromium.
 */
export const TINY_MODEL_EXPECTED = {
  /**
   * Chat (any messages): the template ends with `assistant:`, so the reply is the alphabet, then EOS (finish `stop`).
   */
  chatReply: 'abcdefghijklmnopqrstuvwxyz',
  /** Tokens in {@link TINY_MODEL_EXPECTED.chatReply}; a `max_tokens` below this ends with finish `length`. */
  chatReplyTokens: 26,
  /** Raw completion of a prompt ending in "q" (e.g. "hello q"): continues the alphabet and stops. */
  afterQ: 'rstuvwxyz',
  /** Raw completion of a prompt ending in "5" (e.g. "x5"): counts 6789012345… until the token limit. */
  countFrom5: (tokens: number) => Array.from({ length: tokens }, (_, index) => String((6 + index) % 10)).join(''),
} as const;

/** The class of the last character of a text: 0–25 letters, 26–35 digits, 36 anything else. */
function lastCharacterClass(text: string): number {
  const code = text.length > 0 ? text.charCodeAt(text.length - 1) : 0;
  return code < 256 ? tokenClass(byteToken(code)) : 36;
}

/**
 * The tiny model's greedy continuation of a raw prompt (no chat template), computed from the
 * rules above rather than by running a model: `{ text, finish }` where `finish` is `stop`
 * when it reached end of sequence and `length` when `maxTokens` ran out first.
 */
export function tinyModelContinuation(prompt: string, maxTokens: number): { text: string; finish: 'stop' | 'length' } {
  let current = lastCharacterClass(prompt);
  let text = '';
  for (let produced = 0; produced < maxTokens; produced += 1) {
    const token = successor(current);
    if (token === EOS) return { text, finish: 'stop' };
    text += String.fromCharCode(token - BYTE_OFFSET);
    current = tokenClass(token);
  }
  return { text, finish: 'length' };
}

/**
 * SHA-256 of `generateLlamaGguf()` (the tiny model, f32, 437,344 bytes). A test pins it so a
 * change to the generator is noticed; engines can use it to exercise integrity checks.
 */
export const TINY_MODEL_SHA256 = 'e96f0c98b7a555655b2e1bccfeadf0df3e3ab8d235a491171e476e542cf5006a';

/** Size in bytes of `generateLlamaGguf()` (the tiny model, f32). */
export const TINY_MODEL_BYTES = 437_344;

/** The chat template stored in the model: `role: content` lines, then `assistant:`. */
export const TINY_CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}" +
  '{% if add_generation_prompt %}assistant:{% endif %}';

const BYTE_OFFSET = 3;
const EOS = 2;

/** Token id of a byte. */
function byteToken(byte: number): number {
  return BYTE_OFFSET + byte;
}

/** Class of a token: 0–25 letters (either case), 26–35 digits, 36 anything else. */
function tokenClass(token: number): number {
  const byte = token - BYTE_OFFSET;
  if (byte >= 0x61 && byte <= 0x7a) return byte - 0x61;
  if (byte >= 0x41 && byte <= 0x5a) return byte - 0x41;
  if (byte >= 0x30 && byte <= 0x39) return 26 + byte - 0x30;
  return 36;
}

/** The token each class leads to. */
function successor(tokenClassIndex: number): number {
  if (tokenClassIndex < 25) return byteToken(0x61 + tokenClassIndex + 1);
  if (tokenClassIndex === 25) return EOS;
  if (tokenClassIndex < 36) return byteToken(0x30 + ((tokenClassIndex - 26 + 1) % 10));
  return byteToken(0x61);
}

/** A small, fast, seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMatrix(next: () => number, count: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index += 1) values[index] = (next() * 2 - 1) * scale;
  return values;
}

function vocabulary(size: number): { tokens: string[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let byte = 0; byte < 256; byte += 1) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  tokens.push('\u2581');
  types.push(1);
  for (let index = tokens.length; index < size; index += 1) {
    tokens.push(`<unused_${index}>`);
    types.push(5);
  }
  return { tokens, types };
}

/**
 * Generates a llama-architecture GGUF. When the embedding is at least 37 wide (both built-in shapes) the weights are
 * hand-set: the embedding is a one-hot class vector, every block adds nothing (attn_output and ffn_down are zero, while
 * Q/K/V/gate/up are random so the compute is real), and `output` maps each class to its successor with a logit gap of
 * 32. Narrower shapes get seeded random weights. Byte-identical on every run.
 */
export function generateLlamaGguf(shape: LlamaShape = TINY_SHAPE): Uint8Array {
  if (shape.vocab < 260) throw new Error('the vocabulary needs at least 260 tokens');
  const next = random(shape.seed);
  const { embedding: n, feedForward: ff, vocab } = shape;
  const headDim = n / shape.heads;
  const kv = headDim * shape.kvHeads;
  const handSet = n >= 37;
  const matrixType = shape.tensorType;

  const tokenEmbedding = new Float32Array(n * vocab);
  const output = new Float32Array(n * vocab);
  if (handSet) {
    for (let token = 0; token < vocab; token += 1)
      tokenEmbedding[token * n + (token < 260 ? tokenClass(token) : 36)] = 1;
    // After RMS norm a one-hot vector has sqrt(n) at its class: scale so the logit is 32.
    const weight = 32 / Math.sqrt(n);
    for (let classIndex = 0; classIndex < 37; classIndex += 1) output[successor(classIndex) * n + classIndex] = weight;
  }
  const ones = (count: number) => new Float32Array(count).fill(1);
  const tensors: TensorSpec[] = [
    {
      name: 'token_embd.weight',
      dims: [n, vocab],
      type: matrixType,
      data: handSet ? tokenEmbedding : randomMatrix(next, n * vocab, 0.05),
    },
    { name: 'output_norm.weight', dims: [n], type: GGML_TYPE.F32, data: ones(n) },
    {
      name: 'output.weight',
      dims: [n, vocab],
      type: matrixType,
      data: handSet ? output : randomMatrix(next, n * vocab, 0.05),
    },
  ];
  for (let layer = 0; layer < shape.layers; layer += 1) {
    const prefix = `blk.${layer}`;
    const zeroOrRandom = (count: number) => (handSet ? new Float32Array(count) : randomMatrix(next, count, 0.02));
    tensors.push(
      { name: `${prefix}.attn_norm.weight`, dims: [n], type: GGML_TYPE.F32, data: ones(n) },
      { name: `${prefix}.attn_q.weight`, dims: [n, n], type: matrixType, data: randomMatrix(next, n * n, 0.1) },
      { name: `${prefix}.attn_k.weight`, dims: [n, kv], type: matrixType, data: randomMatrix(next, n * kv, 0.1) },
      { name: `${prefix}.attn_v.weight`, dims: [n, kv], type: matrixType, data: randomMatrix(next, n * kv, 0.1) },
      { name: `${prefix}.attn_output.weight`, dims: [n, n], type: matrixType, data: zeroOrRandom(n * n) },
      { name: `${prefix}.ffn_norm.weight`, dims: [n], type: GGML_TYPE.F32, data: ones(n) },
      { name: `${prefix}.ffn_gate.weight`, dims: [n, ff], type: matrixType, data: randomMatrix(next, n * ff, 0.1) },
      { name: `${prefix}.ffn_up.weight`, dims: [n, ff], type: matrixType, data: randomMatrix(next, n * ff, 0.1) },
      { name: `${prefix}.ffn_down.weight`, dims: [ff, n], type: matrixType, data: zeroOrRandom(ff * n) },
    );
  }
  const { tokens, types } = vocabulary(vocab);
  const fileType = matrixType === GGML_TYPE.F32 ? 0 : matrixType === GGML_TYPE.F16 ? 1 : 7;
  const metadata: [string, MetadataValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: shape.name }],
    ['general.file_type', { type: 'u32', value: fileType }],
    ['llama.context_length', { type: 'u32', value: shape.context }],
    ['llama.embedding_length', { type: 'u32', value: n }],
    ['llama.block_count', { type: 'u32', value: shape.layers }],
    ['llama.feed_forward_length', { type: 'u32', value: ff }],
    ['llama.attention.head_count', { type: 'u32', value: shape.heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: shape.kvHeads }],
    ['llama.rope.dimension_count', { type: 'u32', value: headDim }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', { type: 'u32', value: vocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: new Float32Array(vocab) }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: EOS }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.chat_template', { type: 'string', value: TINY_CHAT_TEMPLATE }],
  ];
  return writeGguf(metadata, tensors);
}
