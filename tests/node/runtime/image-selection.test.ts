// AI Image's engine choice: selectEngine over the image engines only, with the chosen in-browser
// image model's needs (no shader-f16 for the test model, GPU memory for SD-Turbo).
import {
  builtInImageCatalogue,
  EMPTY_PROBE,
  imageSelectionConfig,
  selectEngine,
  type CapabilityProbe,
  type ImageCatalogueModel,
} from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

const model = (id: string): ImageCatalogueModel => {
  const found = builtInImageCatalogue().find((entry) => entry.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};
const offline: CapabilityProbe = { ...EMPTY_PROBE, wasm: { available: true, simd: true }, hostServiceModule: 'no' };
const gpu = (shaderF16: boolean, maxBufferSize: number): CapabilityProbe => ({
  ...offline,
  webgpu: { adapter: true, isFallbackAdapter: false, shaderF16, maxBufferSize },
});
const select = (
  probe: CapabilityProbe,
  id: string,
  engineId: Parameters<typeof selectEngine>[0]['engineId'] = 'auto',
) => selectEngine({ engineId }, probe, imageSelectionConfig({}, model(id), false, probe));

describe('AI Image engine selection', () => {
  it('offline without WebGPU: the CPU with the bundled test model, saying why not the GPU and the service', () => {
    const selection = select(offline, 'ai-blocks-tiny-diffusion');
    expect(selection.choice).toBe('wasm');
    expect(selection.summary).toMatch(/CPU model.*not the GPU model: this browser has no WebGPU/);
    expect(selection.reasons['service-module']).toEqual({
      kind: 'unsupported',
      text: 'The page’s host does not offer an AI service.',
    });
    // Only the image engines are chosen from or explained.
    expect(Object.keys(selection.reasons).sort()).toEqual(['openai-compatible', 'service-module', 'webllm']);
  });

  it('a GPU without shader-f16 runs the test model (it needs none), but not SD-Turbo', () => {
    expect(select(gpu(false, 2 ** 30), 'ai-blocks-tiny-diffusion').choice).toBe('webllm');
    const sdTurbo = select(gpu(false, 2 ** 30), 'sd-turbo-fp16');
    expect(sdTurbo.choice).toBeUndefined();
    expect(sdTurbo.reasons.webllm?.text).toMatch(/shader-f16/);
    expect(sdTurbo.reasons.wasm?.text).toMatch(/does not run on the CPU/);
  });

  it('refuses SD-Turbo on a GPU with too little memory, with the reason', () => {
    const selection = select(gpu(true, 2 ** 28), 'sd-turbo-fp16');
    expect(selection.choice).toBeUndefined();
    expect(selection.reasons.webllm?.kind).toBe('unsupported');
    expect(selection.reasons.webllm?.text).toMatch(/GPU memory/);
    expect(select(gpu(true, 2 ** 31), 'sd-turbo-fp16').choice).toBe('webllm');
  });

  it('never picks a text-only engine for images, even when asked', () => {
    const selection = select(offline, 'ai-blocks-tiny-diffusion', 'anthropic');
    expect(selection.choice).toBe('wasm');
    expect(selection.summary).toMatch(/can’t run: This block does not use it/);
  });
});
