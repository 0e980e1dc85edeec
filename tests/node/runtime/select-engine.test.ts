import {
  DEFAULT_ENGINE_ORDER,
  probeCapabilities,
  selectEngine,
  type CapabilityProbe,
  type EngineId,
  type EngineSelection,
  type SelectionConfig,
} from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

type Gpu = 'none' | 'fallback' | 'no-f16' | 'f16';
const gpus: Record<Gpu, CapabilityProbe['webgpu']> = {
  none: { adapter: false, isFallbackAdapter: false, shaderF16: false },
  fallback: { adapter: true, isFallbackAdapter: true, shaderF16: false },
  'no-f16': { adapter: true, isFallbackAdapter: false, shaderF16: false },
  f16: { adapter: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 31 },
};

function probe(gpu: Gpu, service: CapabilityProbe['hostServiceModule']): CapabilityProbe {
  return {
    webgpu: gpus[gpu],
    wasm: { available: true, simd: true },
    crossOriginIsolated: false,
    hostServiceModule: service,
  };
}

function config({ cached = true, consented = false, openai = false, anthropic = false } = {}): SelectionConfig {
  const model = (modelId: string, downloadBytes: number) => ({
    modelId,
    downloadBytes: cached ? 0 : downloadBytes,
    cached,
    consented,
  });
  return {
    wasm: model('smollm2-360m', 386e6),
    webllm: model('SmolLM2-360M-q4f16_1-MLC', 376e6),
    openaiCompatible: { configured: openai },
    anthropic: { configured: anthropic },
  };
}

/** The reasons as a person reads them (the picker shows each reason's text). */
function reasonTexts(selection: EngineSelection): Partial<Record<EngineId, string>> {
  return Object.fromEntries(Object.entries(selection.reasons).map(([engineId, reason]) => [engineId, reason.text]));
}

describe('selectEngine: table', () => {
  const rows: {
    name: string;
    preference?: EngineId;
    gpu: Gpu;
    service: CapabilityProbe['hostServiceModule'];
    config: SelectionConfig;
    choice: EngineId | undefined;
    summary: RegExp;
    reasons?: Partial<Record<EngineId, string>>;
    pending?: number;
  }[] = [
    {
      name: 'host service first',
      gpu: 'f16',
      service: 'yes',
      config: config(),
      choice: 'service-module',
      summary: /page’s AI service/,
    },
    {
      name: 'no WebGPU → CPU model, saying why',
      gpu: 'none',
      service: 'no',
      config: config(),
      choice: 'wasm',
      summary: /^Using the CPU model \(WebAssembly\): this browser has no WebGPU\.$/,
      reasons: {
        webllm: 'This browser has no WebGPU.',
        'service-module': 'The page’s host does not offer an AI service.',
        'openai-compatible': 'Not connected: use “Connect a model…” (OpenAI, OpenRouter, Ollama, LM Studio…).',
        anthropic: 'Not connected: use “Connect a model…” with an Anthropic key.',
      },
    },
    {
      name: 'SwiftShader fallback → CPU model',
      gpu: 'fallback',
      service: 'no',
      config: config(),
      choice: 'wasm',
      summary: /without a real GPU/,
      reasons: { webllm: 'WebGPU here runs in software, without a real GPU.' },
    },
    {
      name: 'GPU without f16 → CPU model',
      gpu: 'no-f16',
      service: 'no',
      config: config(),
      choice: 'wasm',
      summary: /shader-f16/,
      reasons: { webllm: 'This GPU lacks shader-f16, which the GPU models need.' },
    },
    {
      name: 'real f16 GPU → web-llm',
      gpu: 'f16',
      service: 'no',
      config: config(),
      choice: 'webllm',
      summary: /Using the GPU model/,
    },
    {
      name: 'host unknown is not chosen',
      gpu: 'f16',
      service: 'unknown',
      config: config(),
      choice: 'webllm',
      summary: /GPU model/,
      reasons: { 'service-module': 'The page’s host has not said whether it offers an AI service.' },
    },
    {
      name: 'uncached models lose to a configured cloud, with the download size',
      gpu: 'none',
      service: 'no',
      config: config({ cached: false, openai: true }),
      choice: 'openai-compatible',
      summary: /OpenAI-compatible/,
      reasons: { wasm: 'Its model needs a 386 MB download first; choose it to download.' },
    },
    {
      name: 'uncached and nothing else → local model pending download',
      gpu: 'none',
      service: 'no',
      config: config({ cached: false }),
      choice: 'wasm',
      summary: /after a one-time 386 MB download/,
      pending: 386e6,
    },
    {
      name: 'consented download counts as ready',
      gpu: 'f16',
      service: 'no',
      config: config({ cached: false, consented: true, openai: true }),
      choice: 'webllm',
      summary: /GPU model/,
      pending: 376e6,
    },
    {
      name: 'preference wins when it can run',
      preference: 'anthropic',
      gpu: 'f16',
      service: 'yes',
      config: config({ anthropic: true }),
      choice: 'anthropic',
      summary: /^Using Anthropic, as chosen\.$/,
    },
    {
      name: 'impossible preference falls back, explained',
      preference: 'webllm',
      gpu: 'fallback',
      service: 'no',
      config: config(),
      choice: 'wasm',
      summary:
        /^The GPU model \(WebGPU\) can’t run: WebGPU here runs in software, without a real GPU\. Using the CPU model/,
    },
    {
      name: 'preference for an unconfigured cloud',
      preference: 'openai-compatible',
      gpu: 'none',
      service: 'yes',
      config: config(),
      choice: 'service-module',
      summary: /can’t run: Not connected: use “Connect a model…”.*\. Using the page’s AI service/,
    },
    {
      name: 'no WebAssembly and nothing else',
      gpu: 'none',
      service: 'no',
      config: { openaiCompatible: { configured: false } },
      choice: undefined,
      summary: /No engine can run here/,
    },
  ];
  it.each(rows)('$name', (row) => {
    const selection = selectEngine({ engineId: row.preference ?? 'auto' }, probe(row.gpu, row.service), row.config);
    expect(selection.choice).toBe(row.choice);
    expect(selection.summary).toMatch(row.summary);
    if (row.reasons) expect(reasonTexts(selection)).toMatchObject(row.reasons);
    expect(selection.pendingDownloadBytes).toBe(row.pending);
  });
});

describe('selectEngine: every preference × capability combination', () => {
  const preferences: (EngineId | 'auto')[] = ['auto', ...DEFAULT_ENGINE_ORDER];
  const combos = preferences.flatMap((preference) =>
    (Object.keys(gpus) as Gpu[]).flatMap((gpu) =>
      (['yes', 'no', 'unknown'] as const).flatMap((service) =>
        [true, false].flatMap((cached) => [true, false].map((cloud) => ({ preference, gpu, service, cached, cloud }))),
      ),
    ),
  );
  it(`holds the rules in all ${combos.length} combinations`, () => {
    expect(combos).toHaveLength(7 * 4 * 3 * 2 * 2);
    for (const combo of combos) {
      const selection = selectEngine(
        { engineId: combo.preference },
        probe(combo.gpu, combo.service),
        config({ cached: combo.cached, openai: combo.cloud, anthropic: combo.cloud }),
      );
      const label = JSON.stringify(combo);
      // Every engine not chosen says why; the chosen one has no reason against it.
      for (const engineId of DEFAULT_ENGINE_ORDER) {
        if (engineId === selection.choice) expect(reasonTexts(selection)[engineId], label).toBeUndefined();
        else expect(reasonTexts(selection)[engineId], label).toMatch(/\S/);
      }
      // web-llm never runs on a fallback adapter or without f16.
      if (combo.gpu !== 'f16') expect(selection.choice, label).not.toBe('webllm');
      // The host's service module never runs unless the host answered it.
      if (combo.service !== 'yes') expect(selection.choice, label).not.toBe('service-module');
      // WebAssembly is there, so something can always run.
      expect(selection.choice, label).toBeDefined();
      // A preference that can run is honoured.
      const possible =
        combo.preference === 'auto'
          ? false
          : combo.preference === 'service-module'
            ? combo.service === 'yes'
            : combo.preference === 'webllm'
              ? combo.gpu === 'f16'
              : combo.preference === 'wasm'
                ? true
                : combo.preference === 'browser-ai'
                  ? false // this probe has no browser model (prompt-api-mapping.test.ts covers it)
                  : combo.cloud;
      if (possible) expect(selection.choice, label).toBe(combo.preference);
      if (combo.preference === 'auto' && combo.service === 'yes')
        expect(selection.choice, label).toBe('service-module');
      if (selection.pendingDownloadBytes !== undefined) expect(['wasm', 'webllm'], label).toContain(selection.choice);
    }
  });
});

describe('probeCapabilities', () => {
  it('reads an injected navigator and host probe, and works where nothing exists', async () => {
    const fake = {
      hardwareConcurrency: 8,
      deviceMemory: 8,
      gpu: {
        requestAdapter: () =>
          Promise.resolve({
            features: new Set(['shader-f16']),
            limits: { maxBufferSize: 4e9, maxStorageBufferBindingSize: 2e9 },
            info: { vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false },
          }),
      },
      storage: { estimate: () => Promise.resolve({ quota: 1e10, usage: 1e6 }) },
    };
    const result = await probeCapabilities({
      navigator: fake,
      crossOriginIsolated: true,
      probeServiceModule: () => Promise.resolve(true),
    });
    expect(result).toMatchObject({
      webgpu: {
        adapter: true,
        isFallbackAdapter: false,
        shaderF16: true,
        maxBufferSize: 4e9,
        description: 'nvidia hopper',
      },
      crossOriginIsolated: true,
      hardwareConcurrency: 8,
      deviceMemoryGiB: 8,
      storage: { quotaBytes: 1e10, usageBytes: 1e6 },
      hostServiceModule: 'yes',
      wasm: { available: true },
    });
    const bare = await probeCapabilities({
      navigator: {},
      probeServiceModule: () => Promise.reject(new Error('timeout')),
    });
    expect(bare).toMatchObject({ webgpu: { adapter: false }, hostServiceModule: 'no' });
  });
});
