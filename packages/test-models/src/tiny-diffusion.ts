/**
 * A deterministic tiny text-to-image "diffusion model" in ONNX, laid out like the real
 * in-browser SD-Turbo export (`text_encoder/model.onnx`, `unet/model.onnx`,
 * `vae_decoder/model.onnx`, a CLIP-style `tokenizer/vocab.json` + `merges.txt`) with the same
 * input and output names, plus the manifest the runtime's ONNX image engine reads. The weights
 * are seeded random, so the images mean nothing, but every part of the pipeline runs for real
 * (tokens → embeddings → UNet steps → decoder → pixels) in milliseconds, and the same prompt
 * and seed always give the same image. Only ops that onnxruntime-web's WebAssembly and WebGPU
 * providers both run are used.
 */
import { encodeOnnxModel, ONNX_TYPE, type OnnxNode, type OnnxTensor } from './onnx-writer.js';

/** Words the tiny vocabulary has whole-word tokens for (other text falls back to bytes). */
export const TINY_DIFFUSION_WORDS = [
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'at',
  'photo',
  'painting',
  'red',
  'blue',
  'green',
  'yellow',
  'cat',
  'dog',
  'bird',
  'tree',
  'house',
  'sky',
  'sun',
  'sea',
  'mountain',
  'city',
  'night',
  'flower',
];

/** The shape of the tiny model. */
export const TINY_DIFFUSION_SHAPE = {
  /** Text width (CLIP-L is 768, SD-Turbo's OpenCLIP-H 1024). */
  hidden: 32,
  sequenceLength: 77,
  unetChannels: 16,
  latentChannels: 4,
  /** 8×8 latents decode to 64×64 pixels (three ×2 upsamplings, like SD's VAE). */
  latentSize: 8,
  imageSize: 64,
  seed: 20261202,
} as const;

/** The manifest format the runtime's ONNX image engine reads (`format` names its version). */
export const DIFFUSION_MANIFEST_FORMAT = 'ai-blocks-diffusion@1';

export interface TinyDiffusionModel {
  /** `manifest.json` as an object (the manifest's own file is `manifest.json`). */
  manifest: Record<string, unknown>;
  /** Every file by its path relative to the manifest, including `manifest.json`. */
  files: Map<string, Uint8Array>;
}

/** A small, fast, seeded PRNG (mulberry32), as in the tiny GGUF. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** GPT-2/CLIP's byte → printable character table, in the order CLIP's vocabulary lists it. */
function byteCharacters(): [number, string][] {
  const printable: number[] = [];
  for (let byte = 0x21; byte <= 0x7e; byte += 1) printable.push(byte);
  for (let byte = 0xa1; byte <= 0xac; byte += 1) printable.push(byte);
  for (let byte = 0xae; byte <= 0xff; byte += 1) printable.push(byte);
  const table: [number, string][] = printable.map((byte) => [byte, String.fromCharCode(byte)]);
  let extra = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    if (!printable.includes(byte)) {
      table.push([byte, String.fromCharCode(256 + extra)]);
      extra += 1;
    }
  }
  return table;
}

/** Byte-pair encoding of one word with ranked merges (lowest rank first), as CLIP does it. */
function bpe(symbols: string[], ranks: Map<string, number>): string[] {
  let word = symbols;
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let index = 0; index < word.length - 1; index += 1) {
      const rank = ranks.get(`${word[index] ?? ''} ${word[index + 1] ?? ''}`);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = index;
      }
    }
    if (best < 0) return word;
    const left = word[best] ?? '';
    const right = word[best + 1] ?? '';
    const merged: string[] = [];
    for (let index = 0; index < word.length; index += 1) {
      if (word[index] === left && word[index + 1] === right) {
        merged.push(left + right);
        index += 1;
      } else merged.push(word[index] ?? '');
    }
    word = merged;
  }
}

/**
 * Merges that make each word of {@link TINY_DIFFUSION_WORDS} one token: for each word, what
 * the merges so far leave of it is joined pair by pair with new merges. New merges rank after
 * all earlier ones, so they never change how an earlier word is split.
 */
function wordMerges(): [string, string][] {
  const merges: [string, string][] = [];
  const ranks = new Map<string, number>();
  for (const word of TINY_DIFFUSION_WORDS) {
    // The words are ASCII: one character per byte.
    const characters = word.split('');
    let symbols = bpe(
      characters.map((character, index) => (index === characters.length - 1 ? `${character}</w>` : character)),
      ranks,
    );
    while (symbols.length > 1) {
      const [left = '', right = ''] = symbols;
      ranks.set(`${left} ${right}`, merges.length);
      merges.push([left, right]);
      symbols = bpe(symbols, ranks);
    }
  }
  return merges;
}

/** CLIP tokenizer files: `vocab.json` (token to id) and `merges.txt` (`#version` line, then one merge a line). */
export function tinyDiffusionTokenizer(): { vocab: Record<string, number>; merges: string } {
  const base = byteCharacters().map(([, character]) => character);
  const tokens = [...base, ...base.map((character) => `${character}</w>`)];
  const merges = wordMerges();
  for (const [left, right] of merges) tokens.push(left + right);
  tokens.push('<|startoftext|>', '<|endoftext|>');
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  return { vocab, merges: ['#version: 0.2', ...merges.map(([left, right]) => `${left} ${right}`)].join('\n') + '\n' };
}

function uniform(next: () => number, count: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index += 1) values[index] = (next() * 2 - 1) * scale;
  return values;
}

const float = (name: string, dims: number[], data: Float32Array | number[]): OnnxTensor => ({
  name,
  dims,
  type: ONNX_TYPE.FLOAT,
  data,
});
const int64 = (name: string, dims: number[], data: number[]): OnnxTensor => ({
  name,
  dims,
  type: ONNX_TYPE.INT64,
  data,
});
const node = (opType: string, inputs: string[], outputs: string[], attributes?: OnnxNode['attributes']): OnnxNode => ({
  opType,
  inputs,
  outputs,
  ...(attributes ? { attributes } : {}),
});
const conv3x3 = (input: string, weight: string, bias: string, output: string): OnnxNode =>
  node(
    'Conv',
    [input, weight, bias],
    [output],
    [
      { name: 'kernel_shape', type: 'ints', value: [3, 3] },
      { name: 'pads', type: 'ints', value: [1, 1, 1, 1] },
    ],
  );
const upsample2x = (input: string, output: string): OnnxNode =>
  node(
    'Resize',
    [input, '', 'up_scales'],
    [output],
    [
      { name: 'mode', type: 'string', value: 'nearest' },
      { name: 'coordinate_transformation_mode', type: 'string', value: 'asymmetric' },
      { name: 'nearest_mode', type: 'string', value: 'floor' },
    ],
  );

/**
 * Text encoder: token + position embeddings, then a residual two-layer MLP without biases (no
 * attention). The start, end and padding tokens embed to zero, so their states stay small and
 * the UNet's sum over the sequence is mostly the prompt's words.
 */
function textEncoder(next: () => number, vocabSize: number): Uint8Array {
  const { hidden: width, sequenceLength } = TINY_DIFFUSION_SHAPE;
  const tokenEmbedding = uniform(next, vocabSize * width, 1);
  // The last two ids are <|startoftext|> and <|endoftext|> (the tiny model pads with the latter).
  tokenEmbedding.fill(0, (vocabSize - 2) * width);
  return encodeOnnxModel({
    docString: 'AI Blocks tiny diffusion: text encoder',
    graph: {
      name: 'text_encoder',
      inputs: [{ name: 'input_ids', type: ONNX_TYPE.INT32, shape: ['batch_size', sequenceLength] }],
      outputs: [{ name: 'last_hidden_state', type: ONNX_TYPE.FLOAT, shape: ['batch_size', sequenceLength, width] }],
      initializers: [
        float('token_embedding', [vocabSize, width], tokenEmbedding),
        float('position_embedding', [sequenceLength, width], uniform(next, sequenceLength * width, 0.05)),
        float('fc1_weight', [width, width], uniform(next, width * width, 1 / Math.sqrt(width))),
        float('fc2_weight', [width, width], uniform(next, width * width, 1 / Math.sqrt(width))),
      ],
      nodes: [
        node('Gather', ['token_embedding', 'input_ids'], ['tokens'], [{ name: 'axis', type: 'int', value: 0 }]),
        node('Add', ['tokens', 'position_embedding'], ['embedded']),
        node('MatMul', ['embedded', 'fc1_weight'], ['fc1']),
        node('Tanh', ['fc1'], ['fc1_active']),
        node('MatMul', ['fc1_active', 'fc2_weight'], ['fc2']),
        node('Add', ['fc2', 'embedded'], ['last_hidden_state']),
      ],
    },
  });
}

/**
 * UNet: predicts the noise as its (scaled) input plus a small correction from two 3×3
 * convolutions, conditioned on the summed text states and a sinusoidal timestep embedding.
 */
function unet(next: () => number): Uint8Array {
  const { hidden: width, sequenceLength, unetChannels: channels, latentChannels } = TINY_DIFFUSION_SHAPE;
  const frequencies = Array.from({ length: channels }, (_, index) => 1 + index * 0.75);
  return encodeOnnxModel({
    docString: 'AI Blocks tiny diffusion: UNet',
    graph: {
      name: 'unet',
      inputs: [
        { name: 'sample', type: ONNX_TYPE.FLOAT, shape: ['batch_size', latentChannels, 'height', 'width'] },
        { name: 'timestep', type: ONNX_TYPE.INT64, shape: [1] },
        { name: 'encoder_hidden_states', type: ONNX_TYPE.FLOAT, shape: ['batch_size', sequenceLength, width] },
      ],
      outputs: [
        { name: 'out_sample', type: ONNX_TYPE.FLOAT, shape: ['batch_size', latentChannels, 'height', 'width'] },
      ],
      initializers: [
        int64('sequence_axis', [1], [1]),
        float('text_weight', [width, channels], uniform(next, width * channels, 1.5 / Math.sqrt(width))),
        float('text_bias', [channels], uniform(next, channels, 0.1)),
        int64('spatial_axes', [2], [2, 3]),
        float('timestep_scale', [], [1 / 1000]),
        float('timestep_frequencies', [channels], frequencies),
        int64('timestep_shape', [4], [1, channels, 1, 1]),
        float('conv1_weight', [channels, latentChannels, 3, 3], uniform(next, channels * latentChannels * 9, 0.4)),
        float('conv1_bias', [channels], uniform(next, channels, 0.1)),
        float('conv2_weight', [latentChannels, channels, 3, 3], uniform(next, latentChannels * channels * 9, 0.02)),
        float('conv2_bias', [latentChannels], uniform(next, latentChannels, 0.01)),
      ],
      nodes: [
        node(
          'ReduceSum',
          ['encoder_hidden_states', 'sequence_axis'],
          ['pooled'],
          [{ name: 'keepdims', type: 'int', value: 0 }],
        ),
        node('MatMul', ['pooled', 'text_weight'], ['text_projected']),
        node('Add', ['text_projected', 'text_bias'], ['text_biased']),
        node('Unsqueeze', ['text_biased', 'spatial_axes'], ['text_condition']),
        node('Cast', ['timestep'], ['timestep_float'], [{ name: 'to', type: 'int', value: ONNX_TYPE.FLOAT }]),
        node('Mul', ['timestep_float', 'timestep_scale'], ['timestep_scaled']),
        node('Mul', ['timestep_scaled', 'timestep_frequencies'], ['timestep_phases']),
        node('Sin', ['timestep_phases'], ['timestep_sines']),
        node('Reshape', ['timestep_sines', 'timestep_shape'], ['timestep_condition']),
        conv3x3('sample', 'conv1_weight', 'conv1_bias', 'conv1'),
        node('Add', ['conv1', 'text_condition'], ['conditioned']),
        node('Add', ['conditioned', 'timestep_condition'], ['timed']),
        node('Relu', ['timed'], ['activated']),
        conv3x3('activated', 'conv2_weight', 'conv2_bias', 'correction'),
        node('Add', ['sample', 'correction'], ['out_sample']),
      ],
    },
  });
}

/** VAE decoder: four 3×3 convolutions with three nearest-neighbour ×2 upsamplings; Tanh keeps pixels in [-1, 1]. */
function vaeDecoder(next: () => number): Uint8Array {
  const { latentChannels } = TINY_DIFFUSION_SHAPE;
  const layers: [number, number][] = [
    [latentChannels, 16],
    [16, 16],
    [16, 8],
    [8, 3],
  ];
  const initializers: OnnxTensor[] = [float('up_scales', [4], [1, 1, 2, 2])];
  const nodes: OnnxNode[] = [];
  let current = 'latent_sample';
  layers.forEach(([inputs, outputs], index) => {
    const scale = index === 0 ? 0.6 : 1.2 / Math.sqrt(inputs * 9);
    initializers.push(
      float(`conv${index}_weight`, [outputs, inputs, 3, 3], uniform(next, outputs * inputs * 9, scale)),
    );
    initializers.push(float(`conv${index}_bias`, [outputs], uniform(next, outputs, 0.2)));
    nodes.push(conv3x3(current, `conv${index}_weight`, `conv${index}_bias`, `conv${index}`));
    if (index === layers.length - 1) {
      nodes.push(node('Tanh', [`conv${index}`], ['sample']));
      return;
    }
    nodes.push(node('Relu', [`conv${index}`], [`relu${index}`]));
    nodes.push(upsample2x(`relu${index}`, `up${index}`));
    current = `up${index}`;
  });
  return encodeOnnxModel({
    docString: 'AI Blocks tiny diffusion: VAE decoder',
    graph: {
      name: 'vae_decoder',
      inputs: [
        {
          name: 'latent_sample',
          type: ONNX_TYPE.FLOAT,
          shape: ['batch_size', latentChannels, 'height_latent', 'width_latent'],
        },
      ],
      outputs: [{ name: 'sample', type: ONNX_TYPE.FLOAT, shape: ['batch_size', 3, 'height', 'width'] }],
      initializers,
      nodes,
    },
  });
}

export interface TinyDiffusionOptions {
  /** Hex SHA-256 of bytes; when given, the manifest lists each part's checksum (Node passes node:crypto's). */
  sha256?: (bytes: Uint8Array) => string;
}

/**
 * Generates the tiny diffusion model: byte-identical on every run. The manifest's paths are
 * relative to `manifest.json`, so the folder can be served from anywhere.
 */
export function generateTinyDiffusion(options: TinyDiffusionOptions = {}): TinyDiffusionModel {
  const next = random(TINY_DIFFUSION_SHAPE.seed);
  const tokenizer = tinyDiffusionTokenizer();
  return packDiffusionModel(
    {
      id: 'ai-blocks-tiny-diffusion',
      name: 'AI Blocks tiny diffusion test model (offline, seeded random weights)',
      image: { width: TINY_DIFFUSION_SHAPE.imageSize, height: TINY_DIFFUSION_SHAPE.imageSize },
      latent: {
        channels: TINY_DIFFUSION_SHAPE.latentChannels,
        downscale: TINY_DIFFUSION_SHAPE.imageSize / TINY_DIFFUSION_SHAPE.latentSize,
        scalingFactor: 0.18215,
      },
      maxLength: TINY_DIFFUSION_SHAPE.sequenceLength,
      maxSteps: 8,
    },
    {
      'text_encoder/model.onnx': textEncoder(next, Object.keys(tokenizer.vocab).length),
      'unet/model.onnx': unet(next),
      'vae_decoder/model.onnx': vaeDecoder(next),
    },
    tokenizer,
    options,
  );
}

/** What differs between the generated diffusion models' manifests. */
export interface GeneratedDiffusionHead {
  id: string;
  name: string;
  image: { width: number; height: number };
  latent: { channels: number; downscale: number; scalingFactor: number };
  /** The tokenizer's sequence length. */
  maxLength: number;
  /** The most denoising steps the model is offered with. */
  maxSteps: number;
}

/**
 * A generated diffusion model's manifest and files (the tiny test model's and the SDXS-shaped
 * benchmark model's): the same layout, tokenizer, scheduler and part names, differing only in
 * `head` and the part bytes. The manifest's paths are relative to `manifest.json`.
 */
export function packDiffusionModel(
  head: GeneratedDiffusionHead,
  parts: Record<'text_encoder/model.onnx' | 'unet/model.onnx' | 'vae_decoder/model.onnx', Uint8Array>,
  tokenizer: { vocab: Record<string, number>; merges: string },
  options: TinyDiffusionOptions = {},
): TinyDiffusionModel {
  const part = (file: keyof typeof parts) => ({
    file,
    bytes: parts[file].length,
    ...(options.sha256 ? { sha256: options.sha256(parts[file]) } : {}),
  });
  const manifest = {
    format: DIFFUSION_MANIFEST_FORMAT,
    id: head.id,
    name: head.name,
    licence: 'MIT (generated by this project)',
    image: head.image,
    latent: head.latent,
    executionProviders: ['wasm', 'webgpu'],
    requiresShaderF16: false,
    tokenizer: {
      vocab: 'tokenizer/vocab.json',
      merges: 'tokenizer/merges.txt',
      maxLength: head.maxLength,
      padToken: '<|endoftext|>',
    },
    scheduler: {
      kind: 'euler-ancestral',
      trainTimesteps: 1000,
      betaStart: 0.00085,
      betaEnd: 0.012,
      betaSchedule: 'scaled_linear',
      timestepSpacing: 'trailing',
      defaultSteps: 1,
      maxSteps: head.maxSteps,
    },
    textEncoder: { ...part('text_encoder/model.onnx'), input: 'input_ids', output: 'last_hidden_state' },
    unet: {
      ...part('unet/model.onnx'),
      inputs: { sample: 'sample', timestep: 'timestep', encoderHiddenStates: 'encoder_hidden_states' },
      output: 'out_sample',
    },
    vaeDecoder: { ...part('vae_decoder/model.onnx'), input: 'latent_sample', output: 'sample' },
  };
  const encoder = new TextEncoder();
  const files = new Map<string, Uint8Array>([
    ['manifest.json', encoder.encode(JSON.stringify(manifest, null, 2) + '\n')],
    ...Object.entries(parts),
    ['tokenizer/vocab.json', encoder.encode(JSON.stringify(tokenizer.vocab))],
    ['tokenizer/merges.txt', encoder.encode(tokenizer.merges)],
  ]);
  return { manifest, files };
}
