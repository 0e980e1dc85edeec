// Where the CPU engine (wllama) runs a GGUF: the decision from the adapter's info, and what the
// engine then asks of wllama and reports. wllama is a fake here; the browser tests run the real one.
import {
  chooseWasmBackend,
  createWasmEngine,
  gpuLimitsOf,
  type GpuLimits,
  type WasmEngineSettings,
} from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';
import { runProvenance } from '../../../packages/ui/src/generation/run-provenance.js';

const GiB = 1024 ** 3;
const REAL_GPU: GpuLimits = { adapter: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 2 * GiB };
const SWIFTSHADER: GpuLimits = { ...REAL_GPU, isFallbackAdapter: true };
const NO_ADAPTER: GpuLimits = { adapter: false, isFallbackAdapter: false, shaderF16: false };

describe('chooseWasmBackend', () => {
  it('puts the GGUF on the GPU only for a real GPU with shader-f16 that fits it', () => {
    expect(chooseWasmBackend(REAL_GPU, { modelBytes: 700e6 })).toEqual({
      backend: 'webgpu',
      text: 'GGUF on the GPU (llama.cpp’s WebGPU backend).',
    });
    const cases: [GpuLimits, RegExp][] = [
      [NO_ADAPTER, /^GGUF on the CPU: this browser gives the page no WebGPU adapter\.$/],
      [SWIFTSHADER, /^GGUF on the CPU: WebGPU here runs in software/],
      [{ ...REAL_GPU, shaderF16: false }, /^GGUF on the CPU: the GPU lacks shader-f16/],
    ];
    for (const [gpu, text] of cases) {
      const choice = chooseWasmBackend(gpu, { modelBytes: 700e6 });
      expect(choice.backend).toBe('cpu');
      expect(choice.text).toMatch(text);
    }
    // 2 GiB buffers: about 8 GiB of GPU memory by the runtime's estimate.
    const tooBig = chooseWasmBackend(REAL_GPU, { modelBytes: 9 * GiB });
    expect(tooBig).toMatchObject({ backend: 'cpu', shortfall: { kind: 'too-little-memory' } });
    expect(tooBig.text).toMatch(/larger than this GPU is likely to hold/);
  });

  it('keeps the CPU when the GPU is turned off, whatever the adapter', () => {
    expect(chooseWasmBackend(REAL_GPU, { gpu: 'off' })).toEqual({
      backend: 'cpu',
      text: 'GGUF on the CPU: the GPU is turned off for this engine.',
    });
  });

  it('reads an adapter as the runtime does: a fallback adapter (flag on the adapter or its info) is software', () => {
    const features = { has: (name: string) => name === 'shader-f16' };
    const limits = { maxBufferSize: GiB, maxStorageBufferBindingSize: GiB / 2 };
    expect(gpuLimitsOf({ features, limits, info: { isFallbackAdapter: true } })).toMatchObject({
      adapter: true,
      isFallbackAdapter: true,
      shaderF16: true,
      maxBufferSize: GiB,
    });
    expect(gpuLimitsOf({ features, limits, isFallbackAdapter: true }).isFallbackAdapter).toBe(true);
    expect(chooseWasmBackend(gpuLimitsOf({ features, limits, info: {} })).backend).toBe('webgpu');
    expect(chooseWasmBackend(gpuLimitsOf(null)).backend).toBe('cpu');
  });
});

interface FakeCall {
  n_gpu_layers?: number;
  n_threads?: number;
}

/**
 * A fake wllama that records what it was asked and, like llama.cpp, logs how many layers it
 * offloaded (`gpuLayersFound`: what its worker's GPU could take). `failOnGpu` makes a GPU load throw.
 */
function fakeWllama(options: { gpuLayersFound?: number; failOnGpu?: boolean; logs?: boolean } = {}) {
  const calls: FakeCall[] = [];
  class FakeWllama {
    constructor(
      _paths: unknown,
      private readonly config: { logger?: { log(...args: unknown[]): void } },
    ) {}
    loadModel(_blobs: Blob[], params: FakeCall) {
      calls.push(params);
      const asked = params.n_gpu_layers ?? 0;
      if (asked > 0 && options.failOnGpu) return Promise.reject(new Error('WebGPU device lost'));
      const offloaded = Math.min(asked, options.gpuLayersFound ?? 3);
      if (options.logs !== false)
        this.config.logger?.log(`load_tensors: offloaded ${String(offloaded)}/3 layers to GPU`);
      return Promise.resolve();
    }
    createChatCompletion() {
      return Promise.resolve((async function* () {})());
    }
    isMultithread() {
      return false;
    }
    exit() {
      return Promise.resolve();
    }
  }
  return { calls, FakeWllama };
}

async function loaded(gpu: GpuLimits, fake: ReturnType<typeof fakeWllama>, extra: Partial<WasmEngineSettings> = {}) {
  const engine = createWasmEngine({
    model: new Blob([new Uint8Array(64)]),
    modelId: 'tiny',
    assetBaseUrl: 'https://assets.test/',
    wllama: fake.FakeWllama,
    gpuLimits: () => Promise.resolve(gpu),
    ...extra,
  });
  expect(engine.backend).toBeUndefined();
  await engine.load();
  return engine;
}

describe('the CPU engine on wllama 3 decides where the model runs', () => {
  it('offloads every layer on a real GPU and says so', async () => {
    const fake = fakeWllama();
    const engine = await loaded(REAL_GPU, fake);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.n_gpu_layers).toBeGreaterThanOrEqual(999);
    expect(engine.backend).toBe('webgpu');
    expect(engine.backendText).toBe('GGUF on the GPU (llama.cpp’s WebGPU backend).');
  });

  it('passes n_gpu_layers 0 (no WebGPU device in the worker) with SwiftShader or no adapter', async () => {
    for (const gpu of [SWIFTSHADER, NO_ADAPTER]) {
      const fake = fakeWllama();
      const engine = await loaded(gpu, fake);
      expect(fake.calls.map((call) => call.n_gpu_layers)).toEqual([0]);
      expect(engine.backend).toBe('cpu');
      expect(engine.backendText).toMatch(/^GGUF on the CPU: /);
    }
  });

  it('never asks for the GPU when it is turned off, and does not probe it', async () => {
    const fake = fakeWllama();
    let probed = false;
    const engine = await loaded(REAL_GPU, fake, {
      gpu: 'off',
      gpuLimits: () => {
        probed = true;
        return Promise.resolve(REAL_GPU);
      },
    });
    expect(probed).toBe(false);
    expect(fake.calls.map((call) => call.n_gpu_layers)).toEqual([0]);
    expect(engine.backend).toBe('cpu');
  });

  it('believes llama.cpp over the plan: no layer offloaded (or none logged) is CPU, some is partial GPU', async () => {
    for (const fake of [fakeWllama({ gpuLayersFound: 0 }), fakeWllama({ logs: false })]) {
      const none = await loaded(REAL_GPU, fake);
      expect(none.backend).toBe('cpu');
      expect(none.backendText).toBe('GGUF on the CPU: llama.cpp found no usable GPU in its worker.');
    }
    const some = await loaded(REAL_GPU, fakeWllama({ gpuLayersFound: 2 }));
    expect(some.backend).toBe('webgpu');
    expect(some.backendText).toMatch(/2 of 3 layers/);
  });

  it('loads on the CPU when the GPU cannot take the model, saying why', async () => {
    const fake = fakeWllama({ failOnGpu: true });
    const engine = await loaded(REAL_GPU, fake);
    expect(fake.calls.map((call) => (call.n_gpu_layers ?? 0) > 0)).toEqual([true, false]);
    expect(engine.backend).toBe('cpu');
    expect(engine.backendText).toBe('GGUF on the CPU: the GPU could not load it (WebGPU device lost).');
  });
});

describe('the run’s provenance records where the Wasm engine ran', () => {
  const outcome = { status: 'complete' as const, text: 'Hi' };
  const timing = { startedAt: performance.now(), finishedAt: performance.now() + 5 };

  it('takes the backend from the loaded engine, and from the engine a fallback switched to', async () => {
    const gpu = await loaded(REAL_GPU, fakeWllama());
    expect(runProvenance(gpu, outcome, timing)).toMatchObject({ engineId: 'wasm', modelId: 'tiny', backend: 'webgpu' });
    const cpu = await loaded(SWIFTSHADER, fakeWllama());
    expect(runProvenance(cpu, outcome, timing).backend).toBe('cpu');
    const fallback = { engineId: 'wasm', modelId: 'tiny', active: cpu };
    expect(runProvenance(fallback, outcome, timing).backend).toBe('cpu');
  });

  it('leaves it out for engines that do not say, or say something else', () => {
    expect(runProvenance({ engineId: 'webllm', modelId: 'm' }, outcome, timing)).not.toHaveProperty('backend');
    const odd = { engineId: 'x', modelId: 'm', backend: 'toString' };
    expect(runProvenance(odd, outcome, timing)).not.toHaveProperty('backend');
  });
});
