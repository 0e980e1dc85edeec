import { describe, expect, it } from 'vitest';
import {
  builtInImageCatalogue,
  EMPTY_PROBE,
  imageModelSource,
  imageModelSupport,
  MAX_FILE_BYTES,
  parseDiffusionManifest,
  TINY_DIFFUSION_BYTES,
  whyItCannotFit,
  type CapabilityProbe,
  type DiffusionManifest,
} from '@ai-blocks/runtime';
import { generateTinyDiffusion } from '@ai-blocks/test-models';
import { tinyDiffusionWithChecksums } from '@ai-blocks/test-models/node';

function tinyManifest(): DiffusionManifest {
  const parsed = parseDiffusionManifest(generateTinyDiffusion().manifest);
  if (!parsed.ok) throw new Error(parsed.problems);
  return parsed.manifest;
}

const realGpu: CapabilityProbe = {
  ...EMPTY_PROBE,
  webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: true },
};
const noF16Gpu: CapabilityProbe = {
  ...EMPTY_PROBE,
  webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: false },
};
const swiftShader: CapabilityProbe = {
  ...EMPTY_PROBE,
  webgpu: { adapter: true, isFallbackAdapter: true, shaderF16: false },
};
const cpuOnly: CapabilityProbe = { ...EMPTY_PROBE, wasm: { available: true, simd: true } };

describe('diffusion model manifest', () => {
  it('accepts the tiny model’s manifest and says which fields of a bad one are wrong', () => {
    expect(tinyManifest().unet.inputs.timestep).toBe('timestep');
    const bad = parseDiffusionManifest({
      ...generateTinyDiffusion().manifest,
      format: 'other',
      unet: { file: '', bytes: -1 },
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toMatch(/format/);
    expect(!bad.ok && bad.problems).toMatch(/unet/);
  });
});

describe('memory check before download', () => {
  it('lets the tiny model run on either provider', () => {
    expect(whyItCannotFit(tinyManifest(), 'wasm', {})).toBeUndefined();
    expect(whyItCannotFit(tinyManifest(), 'webgpu', { deviceMemoryGiB: 1 })).toBeUndefined();
  });

  it('refuses a file over the ~2 GB per-buffer limit, naming the part and what would fix it', () => {
    const manifest = tinyManifest();
    const reason = whyItCannotFit({ ...manifest, unet: { ...manifest.unet, bytes: MAX_FILE_BYTES + 1 } }, 'webgpu', {});
    expect(reason).toMatch(/UNet is one 2\.1 GB file/);
    expect(reason).toMatch(/external-data files under 2 GB/);
  });

  it('refuses more than WebAssembly’s 4 GiB memory can hold on the CPU provider, but not on WebGPU', () => {
    const manifest = { ...tinyManifest(), memoryBytes: 3_900_000_000 };
    expect(whyItCannotFit(manifest, 'wasm', {})).toMatch(/CPU \(WebAssembly\) provider/);
    expect(whyItCannotFit(manifest, 'webgpu', {})).toBeUndefined();
  });

  it('refuses a model larger than the device says it has', () => {
    const manifest = { ...tinyManifest(), memoryBytes: 3_200_000_000 };
    expect(whyItCannotFit(manifest, 'webgpu', { deviceMemoryGiB: 4 })).toMatch(/this device reports 4 GB/);
    expect(whyItCannotFit(manifest, 'webgpu', { deviceMemoryGiB: 8 })).toBeUndefined();
  });
});

describe('image model catalogue', () => {
  const catalogue = builtInImageCatalogue();
  const byId = (id: string) => {
    const model = catalogue.find((entry) => entry.id === id);
    if (!model) throw new Error(`no ${id} in the catalogue`);
    return model;
  };

  it('has the bundled test model, measured, and real models marked as estimates with their licences', () => {
    const tiny = byId('ai-blocks-tiny-diffusion');
    const files = [...tinyDiffusionWithChecksums().files.values()];
    expect(TINY_DIFFUSION_BYTES).toBe(files.reduce((sum, bytes) => sum + bytes.length, 0));
    expect(tiny.largestFileBytes).toBe(Math.max(...files.map((bytes) => bytes.length)));
    expect(tiny.sizesAreEstimates).toBe(false);
    for (const model of catalogue.filter((entry) => !entry.testModel)) {
      expect(model.sizesAreEstimates, model.id).toBe(true);
      expect(model.licence, model.id).not.toBe('');
      expect(model.sourceUrl, model.id).toMatch(/^https:\/\/huggingface\.co\//);
    }
    expect(byId('sd-turbo-fp16').commercialUse).toBe(false);
    expect(byId('sd-turbo-fp16').licence).toMatch(/Non-Commercial/);
  });

  it('describes SD-Turbo with a valid manifest in the layout of the onnxruntime-web sample', () => {
    const source = imageModelSource(byId('sd-turbo-fp16'));
    if (typeof source !== 'object') throw new Error('expected an inline manifest');
    expect(parseDiffusionManifest(source.manifest).ok).toBe(true);
    expect(source.baseUrl).toBe('https://huggingface.co/schmuell/sd-turbo-ort-web/resolve/main/');
    expect(source.manifest.unet.file).toBe('unet/model.onnx');
    expect(whyItCannotFit(source.manifest, 'webgpu', { deviceMemoryGiB: 8 })).toBeUndefined();
    expect(whyItCannotFit(source.manifest, 'webgpu', { deviceMemoryGiB: 2 })).toMatch(/this device reports 2 GB/);
  });

  it('says why a model cannot run here', () => {
    const sdTurbo = byId('sd-turbo-fp16');
    expect(imageModelSupport(sdTurbo, realGpu)).toEqual({ supported: true, provider: 'webgpu' });
    expect(imageModelSupport(sdTurbo, noF16Gpu)).toMatchObject({
      supported: false,
      reason: expect.stringMatching(/shader-f16/) as unknown,
    });
    expect(imageModelSupport(sdTurbo, swiftShader)).toMatchObject({
      supported: false,
      reason: expect.stringMatching(/real GPU/) as unknown,
    });
    expect(imageModelSupport(sdTurbo, cpuOnly)).toMatchObject({
      supported: false,
      reason: expect.stringMatching(/WebGPU/) as unknown,
    });
    expect(imageModelSupport(byId('ai-blocks-tiny-diffusion'), cpuOnly)).toEqual({ supported: true, provider: 'wasm' });
    expect(imageModelSupport(byId('sdxs-512'), realGpu)).toMatchObject({
      supported: false,
      reason: expect.stringMatching(/No ONNX export/) as unknown,
    });
  });
});
