/**
 * The model description the ONNX image engine reads: where each ONNX part and the tokenizer
 * files are, their sizes (for the memory check before any download), I/O names, and the
 * scheduler settings. A fetched `manifest.json` is validated here, at the edge.
 */
import * as z from 'zod/mini';

export const DIFFUSION_MANIFEST_FORMAT = 'ai-blocks-diffusion@1';

const positiveInt = () => z.int().check(z.positive());
const sha256 = () => z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/)));

const partFields = {
  /** Relative to the manifest (or absolute). */
  file: z.string().check(z.minLength(1)),
  /** File size in bytes (an estimate is fine; used before download). */
  bytes: positiveInt(),
  sha256: sha256(),
};

const manifestSchema = z.object({
  format: z.literal(DIFFUSION_MANIFEST_FORMAT),
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  licence: z.string(),
  image: z.object({ width: positiveInt(), height: positiveInt() }),
  latent: z.object({
    channels: positiveInt(),
    downscale: positiveInt(),
    scalingFactor: z.number().check(z.positive()),
  }),
  /** Providers the model runs on, preferred first. */
  executionProviders: z.array(z.enum(['webgpu', 'wasm'])).check(z.minLength(1)),
  /** fp16 weights: WebGPU with the `shader-f16` feature only. */
  requiresShaderF16: z.boolean(),
  /** Estimated peak memory while generating; defaults to 1.25 × the parts' bytes. */
  memoryBytes: z.optional(positiveInt()),
  tokenizer: z.object({
    vocab: z.string().check(z.minLength(1)),
    merges: z.string().check(z.minLength(1)),
    maxLength: positiveInt(),
    padToken: z.string().check(z.minLength(1)),
  }),
  scheduler: z.object({
    kind: z.literal('euler-ancestral'),
    trainTimesteps: positiveInt(),
    betaStart: z.number().check(z.positive()),
    betaEnd: z.number().check(z.positive()),
    betaSchedule: z.enum(['scaled_linear', 'linear']),
    timestepSpacing: z.literal('trailing'),
    defaultSteps: positiveInt(),
    maxSteps: positiveInt(),
  }),
  textEncoder: z.object({ ...partFields, input: z.string(), output: z.string() }),
  unet: z.object({
    ...partFields,
    inputs: z.object({ sample: z.string(), timestep: z.string(), encoderHiddenStates: z.string() }),
    output: z.string(),
  }),
  vaeDecoder: z.object({ ...partFields, input: z.string(), output: z.string() }),
});

export type DiffusionManifest = z.infer<typeof manifestSchema>;
export type DiffusionPartName = 'textEncoder' | 'unet' | 'vaeDecoder';
export const PART_NAMES: readonly DiffusionPartName[] = ['textEncoder', 'unet', 'vaeDecoder'];

/** Names of the parts for people. */
export const PART_LABELS: Record<DiffusionPartName, string> = {
  textEncoder: 'text encoder',
  unet: 'UNet',
  vaeDecoder: 'image decoder (VAE)',
};

/** Validates a manifest; the error says which fields are wrong. */
export function parseDiffusionManifest(
  value: unknown,
): { ok: true; manifest: DiffusionManifest } | { ok: false; problems: string } {
  const result = manifestSchema.safeParse(value);
  if (result.success) return { ok: true, manifest: result.data };
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, problems };
}

/** Bytes of the three ONNX parts together. */
export function modelBytes(manifest: DiffusionManifest): number {
  return PART_NAMES.reduce((sum, name) => sum + manifest[name].bytes, 0);
}
