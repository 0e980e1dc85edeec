import { builtInCatalogue, createModelManager, customModelFromUrl, EMPTY_PROBE, modelSupport, type CapabilityProbe, type WebLLMCache } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

const f16Gpu: CapabilityProbe = { ...EMPTY_PROBE, webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 30 } };
const swiftShader: CapabilityProbe = { ...EMPTY_PROBE, webgpu: { adapter: true, isFallbackAdapter: true, shaderF16: false } };
const noF16Gpu: CapabilityProbe = { ...EMPTY_PROBE, webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: false } };

describe('model catalogue', () => {
  it('lists web-llm models that exist in web-llm’s own prebuilt list, with its memory needs and f16 requirement', async () => {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    for (const model of builtInCatalogue().filter((entry) => entry.engine === 'webllm')) {
      const record = prebuiltAppConfig.model_list.find((entry) => entry.model_id === model.id);
      expect(record, model.id).toBeDefined();
      expect(model.memoryBytes).toBe(Math.round((record?.vram_required_MB ?? 0) * 1e6));
      expect(Boolean(model.requiresF16), model.id).toBe(/f16/.test(model.id));
    }
  });

  it('has the offline test model, real models for each engine, and a licence and source for each', () => {
    const catalogue = builtInCatalogue();
    expect(catalogue.filter((model) => model.testModel)).toHaveLength(1);
    expect(catalogue.filter((model) => model.engine === 'wasm' && !model.testModel).length).toBeGreaterThanOrEqual(2);
    expect(catalogue.filter((model) => model.engine === 'webllm').length).toBeGreaterThanOrEqual(2);
    for (const model of catalogue) {
      expect(model.licence, model.id).not.toBe('');
      expect(model.sourceUrl, model.id).not.toBe('');
      expect(model.downloadBytes, model.id).toBeGreaterThan(0);
    }
  });

  it('says why a model cannot run here', () => {
    const gpuModel = builtInCatalogue().find((model) => model.id === 'SmolLM2-360M-Instruct-q4f16_1-MLC');
    const f32Model = builtInCatalogue().find((model) => model.id === 'SmolLM2-360M-Instruct-q4f32_1-MLC');
    if (!gpuModel || !f32Model) throw new Error('catalogue changed');
    expect(modelSupport(gpuModel, EMPTY_PROBE)).toEqual({ supported: false, reason: 'Needs WebGPU, which this browser does not offer.' });
    expect(modelSupport(gpuModel, swiftShader)).toEqual({ supported: false, reason: 'Needs a real GPU; WebGPU here runs in software.' });
    expect(modelSupport(gpuModel, noF16Gpu)).toEqual({ supported: false, reason: 'Needs the GPU feature shader-f16, which this GPU lacks.' });
    expect(modelSupport(f32Model, noF16Gpu)).toEqual({ supported: true });
    expect(modelSupport(gpuModel, f16Gpu)).toEqual({ supported: true });
  });

  it('rejects what is not a URL when a person adds a model by URL', () => {
    expect(() => customModelFromUrl('not a url')).toThrow();
    expect(customModelFromUrl('https://example.test/models/My%20Model.gguf')).toMatchObject({ engine: 'wasm', name: 'My Model', custom: true });
  });
});

describe('model manager', () => {
  it('reports each model’s state, and downloads and deletes web-llm models through web-llm’s cache', async () => {
    const cached = new Set<string>();
    const calls: string[] = [];
    const webllm: WebLLMCache = {
      isCached: (id) => Promise.resolve(cached.has(id)),
      remove: (id) => { calls.push(`remove ${id}`); cached.delete(id); return Promise.resolve(); },
      download: (id, options) => { calls.push(`download ${id}`); options.onProgress?.({ fraction: 1, text: 'done' }); cached.add(id); return Promise.resolve(); },
    };
    const manager = createModelManager({ probe: f16Gpu, webllm });
    const model = builtInCatalogue().find((entry) => entry.id === 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    if (!model) throw new Error('catalogue changed');
    expect(await manager.state(model)).toEqual({ kind: 'download', bytes: model.downloadBytes });
    await manager.download(model);
    expect(await manager.state(model)).toEqual({ kind: 'ready', source: 'cache' });
    await manager.remove(model);
    expect(await manager.state(model)).toEqual({ kind: 'download', bytes: model.downloadBytes });
    expect(calls).toEqual([`download ${model.id}`, `remove ${model.id}`]);
    expect(await createModelManager({ probe: EMPTY_PROBE, webllm }).state(model)).toMatchObject({ kind: 'unsupported' });
  });
});
