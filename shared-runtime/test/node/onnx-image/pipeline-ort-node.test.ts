import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import {
  ClipTokenizer,
  encodePngStored,
  parseDiffusionManifest,
  runDiffusion,
  type SessionRunner,
  type TensorData,
  type TensorType,
} from '@ai-blocks/runtime';
import { generateTinyDiffusion } from '@ai-blocks/test-models';

/** The same PNG the browser test pins (prompt, seed 42, 4 steps, WebAssembly, one thread). */
const EXPECTED_PNG_SHA256 = '27989ef6b45b5095ec1ec25bebe3d017d43cee86cf7168af5e7201ad00b12be4';

// onnxruntime-web's Node build runs the same WebAssembly kernels as the browser's CPU provider.
async function runner(bytes: Uint8Array): Promise<SessionRunner> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const inputTypes: Record<string, TensorType> = {};
  for (const input of session.inputMetadata) if (input.isTensor) inputTypes[input.name] = input.type as TensorType;
  return {
    inputTypes,
    async run(feeds, outputs) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [name, tensor] of Object.entries(feeds))
        tensors[name] = new ort.Tensor(tensor.type, tensor.data, tensor.dims);
      const results = await session.run(tensors, outputs);
      const out: Record<string, TensorData> = {};
      for (const name of outputs) {
        const tensor = results[name];
        if (tensor)
          out[name] = {
            type: tensor.type as TensorType,
            data: tensor.data as TensorData['data'],
            dims: [...tensor.dims],
          };
      }
      return out;
    },
  };
}

describe('the diffusion pipeline on onnxruntime-web in Node', () => {
  it('draws the same PNG bytes as the browser engine for the same prompt and seed', async () => {
    ort.env.wasm.numThreads = 1;
    const model = generateTinyDiffusion();
    const parsed = parseDiffusionManifest(model.manifest);
    if (!parsed.ok) throw new Error(parsed.problems);
    const { manifest } = parsed;
    const file = (path: string) => model.files.get(path) ?? new Uint8Array();
    const text = (path: string) => new TextDecoder().decode(file(path));
    const tokenizer = ClipTokenizer.fromFiles(
      text(manifest.tokenizer.vocab),
      text(manifest.tokenizer.merges),
      manifest.tokenizer,
    );
    const sessions = {
      textEncoder: await runner(file(manifest.textEncoder.file)),
      unet: await runner(file(manifest.unet.file)),
      vaeDecoder: await runner(file(manifest.vaeDecoder.file)),
    };
    const steps: number[] = [];
    const image = await runDiffusion(manifest, tokenizer, sessions, {
      prompt: 'a photo of a red cat',
      seed: 42,
      steps: 4,
      onStep: (step) => steps.push(step),
    });
    expect(steps).toEqual([1, 2, 3, 4]);
    expect({ width: image.width, height: image.height }).toEqual({ width: 64, height: 64 });
    expect(createHash('sha256').update(encodePngStored(image)).digest('hex')).toBe(EXPECTED_PNG_SHA256);
  });
});
