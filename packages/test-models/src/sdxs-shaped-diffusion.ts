/**
 * A diffusion model with SDXS-512's layer sizes and seeded random fp32 weights, in the layout the
 * runtime's ONNX image engine reads (the tiny model's manifest, tokenizer and I/O names). It exists
 * for the image engine's benchmark: the images mean nothing, but every convolution, attention and
 * matrix product of the real model's size runs, so load time and seconds per image are what a
 * model of that size costs. Shapes follow what is public about SDXS-512-0.9 (see docs/benchmarks.md):
 * a CLIP ViT-L/14 text encoder, a block-removed SD-1.5 UNet (BK-SDM-Tiny's layout, about 0.32 B
 * parameters) whose highest-resolution stages use cross-attention in place of self-attention, and
 * a TAESD decoder (about 1.2 M parameters). Only ops that onnxruntime-web's WebAssembly and WebGPU
 * providers run are used.
 */
import {
  packDiffusionModel,
  tinyDiffusionTokenizer,
  type TinyDiffusionModel,
  type TinyDiffusionOptions,
} from './tiny-diffusion.js';
import { encodeOnnxModel, ONNX_TYPE, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-writer.js';

/** The sizes of an SDXS-shaped model; {@link SDXS_512_SHAPE} is the real one, {@link SDXS_QUICK_SHAPE} a small one. */
export interface SdxsShape {
  id: string;
  /** Square image side in pixels; the latent is a eighth of it. */
  imageSize: number;
  text: {
    /** Rows of the token embedding (CLIP's vocabulary is 49 408; the tokenizer uses the first few hundred). */
    vocab: number;
    width: number;
    layers: number;
    heads: number;
    mlp: number;
    sequenceLength: number;
  };
  unet: {
    /** Output channels of the three stages, highest resolution first. */
    channels: [number, number, number];
    heads: number;
    groups: number;
    /** Width of the timestep embedding (4 × the first stage's channels in SD). */
    timeWidth: number;
  };
  /** TAESD decoder: channels of every convolution and blocks per stage (lowest resolution first). */
  vae: { channels: number; blocks: number[] };
  seed: number;
}

/** SDXS-512: CLIP ViT-L/14 text encoder, BK-SDM-Tiny-style UNet at SD-1.5's widths, TAESD decoder, 512×512. */
export const SDXS_512_SHAPE: SdxsShape = {
  id: 'sdxs-512-shaped',
  imageSize: 512,
  text: { vocab: 49408, width: 768, layers: 12, heads: 12, mlp: 3072, sequenceLength: 77 },
  unet: { channels: [320, 640, 1280], heads: 8, groups: 32, timeWidth: 1280 },
  vae: { channels: 64, blocks: [3, 3, 3, 1] },
  seed: 20261203,
};

/** The same graph, scaled down about 10× in width (and to 128×128), for smoke tests of the benchmark. */
export const SDXS_QUICK_SHAPE: SdxsShape = {
  id: 'sdxs-quick-shaped',
  imageSize: 128,
  text: { vocab: 1024, width: 64, layers: 2, heads: 4, mlp: 256, sequenceLength: 77 },
  unet: { channels: [32, 64, 128], heads: 4, groups: 8, timeWidth: 128 },
  vae: { channels: 16, blocks: [3, 3, 3, 1] },
  seed: 20261203,
};

/** mulberry32, as in the tiny models: a fast, seeded, deterministic source of floats in [0, 1). */
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

/** Builds one ONNX graph: weights become seeded initializers, each op's output gets a fresh name. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  /** Float weights (not shape or scale constants): the model's parameter count. */
  parameters = 0;
  private counter = 0;
  private readonly constants = new Map<string, string>();

  constructor(private readonly next: () => number) {}

  /** A weight of uniform random values in ±scale (zero scale: zeros, one: ones when `fill` is 1). */
  weight(name: string, dims: number[], scale: number, fill?: number): string {
    const count = dims.reduce((product, dim) => product * dim, 1);
    const data = new Float32Array(count);
    if (fill !== undefined) data.fill(fill);
    else for (let index = 0; index < count; index += 1) data[index] = (this.next() * 2 - 1) * scale;
    this.initializers.push({ name, dims, type: ONNX_TYPE.FLOAT, data });
    this.parameters += count;
    return name;
  }

  /** A shared constant (shapes, axes, scales); not counted as a parameter. */
  constant(type: 'int64' | 'float', dims: number[], values: number[]): string {
    const key = `${type}:${dims.join('x')}:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `const_${String(this.constants.size)}`;
    this.constants.set(key, name);
    this.initializers.push({
      name,
      dims,
      type: type === 'int64' ? ONNX_TYPE.INT64 : ONNX_TYPE.FLOAT,
      data: type === 'int64' ? values : Float32Array.from(values),
    });
    return name;
  }

  op(opType: string, inputs: string[], attributes?: OnnxAttribute[], output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${String(this.counter++)}`;
    this.nodes.push({ opType, inputs, outputs: [name], ...(attributes ? { attributes } : {}) });
    return name;
  }

  linear(x: string, name: string, inputs: number, outputs: number, bias = true): string {
    const product = this.op('MatMul', [x, this.weight(`${name}.weight`, [inputs, outputs], 1 / Math.sqrt(inputs))]);
    return bias ? this.op('Add', [product, this.weight(`${name}.bias`, [outputs], 0.02)]) : product;
  }

  conv(x: string, name: string, inputs: number, outputs: number, kernel: 1 | 3, stride = 1, bias = true): string {
    const pad = kernel === 3 ? 1 : 0;
    const weight = this.weight(
      `${name}.weight`,
      [outputs, inputs, kernel, kernel],
      1 / Math.sqrt(inputs * kernel ** 2),
    );
    return this.op('Conv', bias ? [x, weight, this.weight(`${name}.bias`, [outputs], 0.02)] : [x, weight], [
      { name: 'kernel_shape', type: 'ints', value: [kernel, kernel] },
      { name: 'pads', type: 'ints', value: [pad, pad, pad, pad] },
      { name: 'strides', type: 'ints', value: [stride, stride] },
    ]);
  }

  silu(x: string): string {
    return this.op('Mul', [x, this.op('Sigmoid', [x])]);
  }

  /** x·sigmoid(1.702·x): CLIP's quick GELU, also standing in for the UNet's exact GELU (same cost class). */
  quickGelu(x: string): string {
    return this.op('Mul', [x, this.op('Sigmoid', [this.op('Mul', [x, this.constant('float', [], [1.702])])])]);
  }

  /** GroupNorm on NCHW as InstanceNormalization over [1, groups, rest], then the per-channel scale and shift. */
  groupNorm(x: string, name: string, channels: number, groups: number, epsilon: number): string {
    const grouped = this.op('Reshape', [x, this.constant('int64', [3], [1, groups, -1])]);
    const normed = this.op(
      'InstanceNormalization',
      [
        grouped,
        this.constant('float', [groups], new Array<number>(groups).fill(1)),
        this.constant('float', [groups], new Array<number>(groups).fill(0)),
      ],
      [{ name: 'epsilon', type: 'float', value: epsilon }],
    );
    const shaped = this.op('Reshape', [normed, this.op('Shape', [x])]);
    const scaled = this.op('Mul', [shaped, this.weight(`${name}.weight`, [channels, 1, 1], 0, 1)]);
    return this.op('Add', [scaled, this.weight(`${name}.bias`, [channels, 1, 1], 0, 0)]);
  }

  layerNorm(x: string, name: string, width: number): string {
    return this.op(
      'LayerNormalization',
      [x, this.weight(`${name}.weight`, [width], 0, 1), this.weight(`${name}.bias`, [width], 0, 0)],
      [
        { name: 'axis', type: 'int', value: -1 },
        { name: 'epsilon', type: 'float', value: 1e-5 },
      ],
    );
  }

  /** Multi-head attention of x ([1, N, width]) over context ([1, M, contextWidth]); `mask` is added to the scores. */
  attention(
    x: string,
    context: string,
    name: string,
    width: number,
    contextWidth: number,
    heads: number,
    options: { qkvBias: boolean; mask?: string },
  ): string {
    const head = width / heads;
    const split = (value: string, perm: number[]) =>
      this.op(
        'Transpose',
        [this.op('Reshape', [value, this.constant('int64', [4], [1, -1, heads, head])])],
        [{ name: 'perm', type: 'ints', value: perm }],
      );
    const q = split(this.linear(x, `${name}.q`, width, width, options.qkvBias), [0, 2, 1, 3]);
    const k = split(this.linear(context, `${name}.k`, contextWidth, width, options.qkvBias), [0, 2, 3, 1]);
    const v = split(this.linear(context, `${name}.v`, contextWidth, width, options.qkvBias), [0, 2, 1, 3]);
    let scores = this.op('Mul', [this.op('MatMul', [q, k]), this.constant('float', [], [1 / Math.sqrt(head)])]);
    if (options.mask) scores = this.op('Add', [scores, options.mask]);
    const weights = this.op('Softmax', [scores], [{ name: 'axis', type: 'int', value: -1 }]);
    const mixed = this.op(
      'Transpose',
      [this.op('MatMul', [weights, v])],
      [{ name: 'perm', type: 'ints', value: [0, 2, 1, 3] }],
    );
    const merged = this.op('Reshape', [mixed, this.constant('int64', [3], [1, -1, width])]);
    return this.linear(merged, `${name}.out`, width, width);
  }
}

function encode(
  builder: GraphBuilder,
  name: string,
  graph: Omit<Parameters<typeof encodeOnnxModel>[0]['graph'], 'nodes' | 'initializers' | 'name'>,
): Uint8Array {
  return encodeOnnxModel({
    docString: `AI Blocks SDXS-shaped diffusion (random weights): ${name}`,
    graph: { name, nodes: builder.nodes, initializers: builder.initializers, ...graph },
  });
}

/** CLIP ViT-L/14's text transformer: pre-norm layers, causal self-attention, quick GELU, final LayerNorm. */
function textEncoder(shape: SdxsShape, next: () => number): { bytes: Uint8Array; parameters: number } {
  const { vocab, width, layers, heads, mlp, sequenceLength } = shape.text;
  const g = new GraphBuilder(next);
  const tokens = g.op(
    'Gather',
    [g.weight('token_embedding', [vocab, width], 0.02), 'input_ids'],
    [{ name: 'axis', type: 'int', value: 0 }],
  );
  let hidden = g.op('Add', [tokens, g.weight('position_embedding', [sequenceLength, width], 0.01)]);
  const mask: number[] = [];
  for (let row = 0; row < sequenceLength; row += 1)
    for (let column = 0; column < sequenceLength; column += 1) mask.push(column > row ? -1e9 : 0);
  const causal = g.constant('float', [sequenceLength, sequenceLength], mask);
  for (let layer = 0; layer < layers; layer += 1) {
    const name = `layers.${String(layer)}`;
    const normed = g.layerNorm(hidden, `${name}.norm1`, width);
    const attended = g.attention(normed, normed, `${name}.attn`, width, width, heads, { qkvBias: true, mask: causal });
    hidden = g.op('Add', [hidden, attended]);
    const up = g.quickGelu(g.linear(g.layerNorm(hidden, `${name}.norm2`, width), `${name}.fc1`, width, mlp));
    hidden = g.op('Add', [hidden, g.linear(up, `${name}.fc2`, mlp, width)]);
  }
  g.op(
    'LayerNormalization',
    [hidden, g.weight('final_norm.weight', [width], 0, 1), g.weight('final_norm.bias', [width], 0, 0)],
    [{ name: 'axis', type: 'int', value: -1 }],
    'last_hidden_state',
  );
  const bytes = encode(g, 'text_encoder', {
    inputs: [{ name: 'input_ids', type: ONNX_TYPE.INT32, shape: [1, sequenceLength] }],
    outputs: [{ name: 'last_hidden_state', type: ONNX_TYPE.FLOAT, shape: [1, sequenceLength, width] }],
  });
  return { bytes, parameters: g.parameters };
}

/**
 * The UNet: SD-1.5's blocks at its widths (320/640/1280) with BK-SDM-Tiny's removals (no
 * fourth stage, no mid-block, one ResNet + transformer per down stage, two per up stage).
 * As in SDXS-512-0.9, the 64×64 stage's transformers attend to the text twice instead of
 * attending to themselves.
 */
function unet(shape: SdxsShape, next: () => number): { bytes: Uint8Array; parameters: number } {
  const { channels, heads, groups, timeWidth } = shape.unet;
  const textWidth = shape.text.width;
  const latent = shape.imageSize / 8;
  const g = new GraphBuilder(next);

  // Sinusoidal timestep embedding (cos first, as diffusers' flip_sin_to_cos), then an MLP.
  const half = channels[0] / 2;
  const frequencies = Array.from({ length: half }, (_, index) => Math.exp((-Math.log(10000) * index) / half));
  const phases = g.op('Mul', [
    g.op('Cast', ['timestep'], [{ name: 'to', type: 'int', value: ONNX_TYPE.FLOAT }]),
    g.constant('float', [half], frequencies),
  ]);
  const sinusoid = g.op(
    'Concat',
    [g.op('Cos', [phases]), g.op('Sin', [phases])],
    [{ name: 'axis', type: 'int', value: 0 }],
  );
  const timeInput = g.op('Reshape', [sinusoid, g.constant('int64', [2], [1, channels[0]])]);
  const time = g.linear(
    g.silu(g.linear(timeInput, 'time_embedding.linear_1', channels[0], timeWidth)),
    'time_embedding.linear_2',
    timeWidth,
    timeWidth,
  );
  const timeActive = g.silu(time);

  const resnet = (x: string, name: string, inputs: number, outputs: number): string => {
    let h = g.conv(g.silu(g.groupNorm(x, `${name}.norm1`, inputs, groups, 1e-5)), `${name}.conv1`, inputs, outputs, 3);
    const timeBias = g.op('Reshape', [
      g.linear(timeActive, `${name}.time_emb_proj`, timeWidth, outputs),
      g.constant('int64', [4], [1, outputs, 1, 1]),
    ]);
    h = g.op('Add', [h, timeBias]);
    h = g.conv(g.silu(g.groupNorm(h, `${name}.norm2`, outputs, groups, 1e-5)), `${name}.conv2`, outputs, outputs, 3);
    const skip = inputs === outputs ? x : g.conv(x, `${name}.conv_shortcut`, inputs, outputs, 1);
    return g.op('Add', [skip, h]);
  };

  const transformer = (x: string, name: string, width: number, selfAttention: boolean): string => {
    const normed = g.groupNorm(x, `${name}.norm`, width, groups, 1e-6);
    const projected = g.conv(normed, `${name}.proj_in`, width, width, 1);
    const flat = g.op('Reshape', [projected, g.constant('int64', [3], [1, width, -1])]);
    let h = g.op('Transpose', [flat], [{ name: 'perm', type: 'ints', value: [0, 2, 1] }]);
    const block = `${name}.block`;
    const n1 = g.layerNorm(h, `${block}.norm1`, width);
    const first = selfAttention
      ? g.attention(n1, n1, `${block}.attn1`, width, width, heads, { qkvBias: false })
      : g.attention(n1, 'encoder_hidden_states', `${block}.attn1`, width, textWidth, heads, { qkvBias: false });
    h = g.op('Add', [h, first]);
    const n2 = g.layerNorm(h, `${block}.norm2`, width);
    h = g.op('Add', [
      h,
      g.attention(n2, 'encoder_hidden_states', `${block}.attn2`, width, textWidth, heads, { qkvBias: false }),
    ]);
    // GEGLU feed-forward: one projection to 2 × 4·width, split into value and gate.
    const projectedFf = g.linear(g.layerNorm(h, `${block}.norm3`, width), `${block}.ff.proj`, width, width * 8);
    const value = g.op('Slice', [
      projectedFf,
      g.constant('int64', [1], [0]),
      g.constant('int64', [1], [width * 4]),
      g.constant('int64', [1], [-1]),
    ]);
    const gate = g.op('Slice', [
      projectedFf,
      g.constant('int64', [1], [width * 4]),
      g.constant('int64', [1], [width * 8]),
      g.constant('int64', [1], [-1]),
    ]);
    h = g.op('Add', [h, g.linear(g.op('Mul', [value, g.quickGelu(gate)]), `${block}.ff.out`, width * 4, width)]);
    const back = g.op('Transpose', [h], [{ name: 'perm', type: 'ints', value: [0, 2, 1] }]);
    const spatial = g.op('Reshape', [back, g.op('Shape', [x])]);
    return g.op('Add', [x, g.conv(spatial, `${name}.proj_out`, width, width, 1)]);
  };

  let h = g.conv('sample', 'conv_in', 4, channels[0], 3);
  const skips: [string, number][] = [[h, channels[0]]];
  let width = channels[0];
  channels.forEach((outputs, stage) => {
    const name = `down_blocks.${String(stage)}`;
    h = resnet(h, `${name}.resnets.0`, width, outputs);
    h = transformer(h, `${name}.attentions.0`, outputs, stage > 0);
    width = outputs;
    skips.push([h, width]);
    if (stage < channels.length - 1) {
      h = g.conv(h, `${name}.downsamplers.0`, width, width, 3, 2);
      skips.push([h, width]);
    }
  });
  [...channels].reverse().forEach((outputs, stage) => {
    const name = `up_blocks.${String(stage)}`;
    for (let layer = 0; layer < 2; layer += 1) {
      const [skip, skipWidth] = skips.pop() ?? ['', 0];
      h = g.op('Concat', [h, skip], [{ name: 'axis', type: 'int', value: 1 }]);
      h = resnet(h, `${name}.resnets.${String(layer)}`, width + skipWidth, outputs);
      h = transformer(h, `${name}.attentions.${String(layer)}`, outputs, stage < channels.length - 1);
      width = outputs;
    }
    if (stage < channels.length - 1) {
      const upsampled = g.op(
        'Resize',
        [h, '', g.constant('float', [4], [1, 1, 2, 2])],
        [{ name: 'mode', type: 'string', value: 'nearest' }],
      );
      h = g.conv(upsampled, `${name}.upsamplers.0`, width, width, 3);
    }
  });
  h = g.silu(g.groupNorm(h, 'conv_norm_out', width, groups, 1e-5));
  g.nodes.push({
    opType: 'Conv',
    inputs: [
      h,
      g.weight('conv_out.weight', [4, width, 3, 3], 1 / Math.sqrt(width * 9)),
      g.weight('conv_out.bias', [4], 0.02),
    ],
    outputs: ['out_sample'],
    attributes: [
      { name: 'kernel_shape', type: 'ints', value: [3, 3] },
      { name: 'pads', type: 'ints', value: [1, 1, 1, 1] },
    ],
  });
  const bytes = encode(g, 'unet', {
    inputs: [
      { name: 'sample', type: ONNX_TYPE.FLOAT, shape: [1, 4, latent, latent] },
      { name: 'timestep', type: ONNX_TYPE.INT64, shape: [1] },
      { name: 'encoder_hidden_states', type: ONNX_TYPE.FLOAT, shape: [1, shape.text.sequenceLength, textWidth] },
    ],
    outputs: [{ name: 'out_sample', type: ONNX_TYPE.FLOAT, shape: [1, 4, latent, latent] }],
  });
  return { bytes, parameters: g.parameters };
}

/** TAESD's decoder: clamp, conv, (blocks of three convs + skip, ×2 upsample + conv) per stage, conv to RGB. */
function vaeDecoder(shape: SdxsShape, next: () => number): { bytes: Uint8Array; parameters: number } {
  const { channels, blocks } = shape.vae;
  const latent = shape.imageSize / 8;
  const g = new GraphBuilder(next);
  const three = g.constant('float', [], [3]);
  const clamped = g.op('Mul', [g.op('Tanh', [g.op('Div', ['latent_sample', three])]), three]);
  let h = g.op('Relu', [g.conv(clamped, 'conv_in', 4, channels, 3)]);
  blocks.forEach((count, stage) => {
    for (let block = 0; block < count; block += 1) {
      const name = `stages.${String(stage)}.blocks.${String(block)}`;
      const a = g.op('Relu', [g.conv(h, `${name}.conv1`, channels, channels, 3)]);
      const b = g.op('Relu', [g.conv(a, `${name}.conv2`, channels, channels, 3)]);
      h = g.op('Relu', [g.op('Add', [g.conv(b, `${name}.conv3`, channels, channels, 3), h])]);
    }
    if (stage < blocks.length - 1) {
      const upsampled = g.op(
        'Resize',
        [h, '', g.constant('float', [4], [1, 1, 2, 2])],
        [{ name: 'mode', type: 'string', value: 'nearest' }],
      );
      h = g.conv(upsampled, `stages.${String(stage)}.upsample`, channels, channels, 3, 1, false);
    }
  });
  // TAESD draws in [0, 1]; the pipeline expects [-1, 1].
  const rgb = g.conv(h, 'conv_out', channels, 3, 3);
  g.op('Sub', [g.op('Mul', [rgb, g.constant('float', [], [2])]), g.constant('float', [], [1])], undefined, 'sample');
  const size = latent * 2 ** (blocks.length - 1);
  const bytes = encode(g, 'vae_decoder', {
    inputs: [{ name: 'latent_sample', type: ONNX_TYPE.FLOAT, shape: [1, 4, latent, latent] }],
    outputs: [{ name: 'sample', type: ONNX_TYPE.FLOAT, shape: [1, 3, size, size] }],
  });
  return { bytes, parameters: g.parameters };
}

export interface SdxsShapedModel extends TinyDiffusionModel {
  /** Float weights per part (what "parameters" means in model cards). */
  parameters: { textEncoder: number; unet: number; vaeDecoder: number };
}

/**
 * Generates an SDXS-shaped model: the same bytes for the same shape on every run. The full
 * shape writes about 1.8 GB (fp32) and needs several GB of memory while it does.
 */
export function generateSdxsShapedDiffusion(
  shape: SdxsShape = SDXS_512_SHAPE,
  options: TinyDiffusionOptions = {},
): SdxsShapedModel {
  const next = random(shape.seed);
  const tokenizer = tinyDiffusionTokenizer();
  const vocabSize = Object.keys(tokenizer.vocab).length;
  if (vocabSize > shape.text.vocab)
    throw new Error(
      `the tokenizer has ${String(vocabSize)} tokens; the shape's embedding has ${String(shape.text.vocab)}`,
    );
  const text = textEncoder(shape, next);
  const denoiser = unet(shape, next);
  const decoder = vaeDecoder(shape, next);
  const model = packDiffusionModel(
    {
      id: shape.id,
      name: `SDXS-512-shaped benchmark model (${shape.id}, seeded random weights)`,
      image: { width: shape.imageSize, height: shape.imageSize },
      // TAESD decodes the UNet's latents as they are (SDXS's VAE config: scaling factor 1).
      latent: { channels: 4, downscale: 8, scalingFactor: 1 },
      maxLength: shape.text.sequenceLength,
      maxSteps: 4,
    },
    {
      'text_encoder/model.onnx': text.bytes,
      'unet/model.onnx': denoiser.bytes,
      'vae_decoder/model.onnx': decoder.bytes,
    },
    tokenizer,
    options,
  );
  return {
    ...model,
    parameters: { textEncoder: text.parameters, unet: denoiser.parameters, vaeDecoder: decoder.parameters },
  };
}
