import {
  AiError,
  builtInCatalogue,
  createModelManager,
  customModelFromUrl,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  downloadCap,
  EMPTY_PROBE,
  modelNameFromUrl,
  modelSupport,
  TEST_MODEL_BYTES,
  wasmModelSource,
  type CapabilityProbe,
  type WebLLMCache,
} from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

const f16Gpu: CapabilityProbe = {
  ...EMPTY_PROBE,
  webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 30 },
};
const swiftShader: CapabilityProbe = {
  ...EMPTY_PROBE,
  webgpu: { adapter: true, isFallbackAdapter: true, shaderF16: false },
};
const noF16Gpu: CapabilityProbe = {
  ...EMPTY_PROBE,
  webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: false },
};

describe('model catalogue', () => {
  it('lists web-llm models found in web-llm’s prebuilt list, with its memory needs and f16 requirement', async () => {
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
    expect(modelSupport(gpuModel, EMPTY_PROBE)).toEqual({
      supported: false,
      reason: 'Needs WebGPU, which this browser does not offer.',
    });
    expect(modelSupport(gpuModel, swiftShader)).toEqual({
      supported: false,
      reason: 'Needs a real GPU; WebGPU here runs in software.',
    });
    expect(modelSupport(gpuModel, noF16Gpu)).toEqual({
      supported: false,
      reason: 'Needs the GPU feature shader-f16, which this GPU lacks.',
    });
    expect(modelSupport(f32Model, noF16Gpu)).toEqual({ supported: true });
    expect(modelSupport(gpuModel, f16Gpu)).toEqual({ supported: true });
  });

  it('rejects what is not a URL when a person adds a model by URL', () => {
    expect(() => customModelFromUrl('not a url')).toThrow();
    expect(customModelFromUrl('https://example.test/models/My%20Model.gguf')).toMatchObject({
      engine: 'wasm',
      name: 'My Model',
      custom: true,
    });
  });
});

describe('model manager', () => {
  it('reports each model’s state, and downloads and deletes web-llm models through web-llm’s cache', async () => {
    const cached = new Set<string>();
    const calls: string[] = [];
    const webllm: WebLLMCache = {
      isCached: (id) => Promise.resolve(cached.has(id)),
      remove: (id) => {
        calls.push(`remove ${id}`);
        cached.delete(id);
        return Promise.resolve();
      },
      download: (id, options) => {
        calls.push(`download ${id}`);
        options.onProgress?.({ fraction: 1, text: 'done' });
        cached.add(id);
        return Promise.resolve();
      },
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
    expect(await createModelManager({ probe: EMPTY_PROBE, webllm }).state(model)).toMatchObject({
      kind: 'unsupported',
    });
  });
});

describe('models added by URL (docs/security.md: no secrets in the graph, https only)', () => {
  it('keeps query, fragment and credentials out of the id, name and source, but downloads from the full URL', () => {
    const model = customModelFromUrl(
      'https://user:pw-SECRET@models.test/org/repo/resolve/main/tiny.gguf?token=SECRET123&x=1#frag',
    );
    expect(model.id).toBe('url:https://models.test/org/repo/resolve/main/tiny.gguf');
    expect(model.sourceUrl).toBe('https://models.test/org/repo/resolve/main/tiny.gguf');
    expect(model.name).toBe('tiny');
    expect(JSON.stringify({ id: model.id, name: model.name, source: model.sourceUrl })).not.toMatch(
      /SECRET|pw-|token|frag/,
    );
    expect(model.url).toBe(
      'https://user:pw-SECRET@models.test/org/repo/resolve/main/tiny.gguf?token=SECRET123&x=1#frag',
    );
    // The id the CPU engine reports (provenance `model-id`, chat settings) is that safe id.
    expect(wasmModelSource({ wasmModel: model }).modelId).toBe(
      'url:https://models.test/org/repo/resolve/main/tiny.gguf',
    );
  });

  it('accepts https, and http only on this computer', () => {
    for (const url of [
      'https://models.test/a.gguf',
      'http://127.0.0.1:8787/a.gguf',
      'http://localhost/a.gguf',
      'http://[::1]:9000/a.gguf',
    ]) {
      expect(customModelFromUrl(url).url, url).toBe(new URL(url).href);
    }
    for (const url of [
      'http://models.test/a.gguf',
      'http://192.168.1.2/a.gguf',
      'data:application/octet-stream;base64,AAAA',
      'blob:https://models.test/1234',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ftp://models.test/a.gguf',
    ]) {
      let error: unknown;
      try {
        customModelFromUrl(url);
      } catch (caught) {
        error = caught;
      }
      expect(AiError.isInstance(error) ? error.code : error, url).toBe('INVALID_REQUEST');
    }
  });

  it('names a host-given model URL by its file, without query or fragment', () => {
    expect(modelNameFromUrl('https://cdn.test/m/Tiny%20Model.gguf?sig=SECRET#x')).toBe('Tiny Model');
    expect(wasmModelSource({ wasmModelUrl: 'https://cdn.test/m/tiny.gguf?sig=SECRET' }).modelId).toBe('tiny');
    expect(modelNameFromUrl('https://cdn.test/m/bad%E0%A4%A.gguf')).toBe('bad%E0%A4%A');
  });

  it('caps downloads: a measured size +10 %, an estimate twice over, an unknown size at 4 GiB', () => {
    const catalogue = builtInCatalogue();
    const tiny = catalogue.find((model) => model.testModel);
    const smol = catalogue.find((model) => model.id === 'smollm2-135m-instruct-q8_0');
    if (!tiny || !smol) throw new Error('catalogue changed');
    expect(downloadCap(tiny)).toBe(Math.ceil(TEST_MODEL_BYTES * 1.1));
    expect(downloadCap(smol)).toBe(smol.downloadBytes * 2);
    expect(downloadCap(customModelFromUrl('https://models.test/a.gguf'))).toBe(DEFAULT_MAX_DOWNLOAD_BYTES);
  });
});
