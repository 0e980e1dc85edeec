import { probeBuiltInAi, type BuiltInAiState } from './engines/prompt-api/probe-built-in-ai.js';

/** What this browser (and its host) can do, as far as choosing an engine goes. */
export interface CapabilityProbe {
  webgpu: {
    /** An adapter was granted. */
    adapter: boolean;
    /** The adapter is a software fallback (e.g. SwiftShader): no real GPU. */
    isFallbackAdapter: boolean;
    shaderF16: boolean;
    maxBufferSize?: number;
    maxStorageBufferBindingSize?: number;
    description?: string;
  };
  wasm: { available: boolean; simd: boolean };
  /** SharedArrayBuffer is usable, so Wasm can run several threads. */
  crossOriginIsolated: boolean;
  hardwareConcurrency?: number;
  /** navigator.deviceMemory, in GiB (Chromium rounds it). */
  deviceMemoryGiB?: number;
  storage?: { quotaBytes?: number; usageBytes?: number };
  /** Whether the embedding host answered the Block Protocol service module. */
  hostServiceModule: 'yes' | 'no' | 'unknown';
  /** The browser's own model (Chrome's Prompt API); absent when not probed (treated as none). */
  browserAi?: BuiltInAiState;
}

type GpuLike = {
  requestAdapter(): Promise<{
    features: { has(name: string): boolean };
    limits: Record<string, number>;
    info?: Record<string, unknown>;
    isFallbackAdapter?: boolean;
  } | null>;
};

export interface ProbeOptions {
  /** `navigator` to probe (injected in tests; absent in Node). */
  navigator?: {
    gpu?: GpuLike;
    hardwareConcurrency?: number;
    deviceMemory?: number;
    storage?: { estimate?: () => Promise<{ quota?: number; usage?: number }> };
  };
  crossOriginIsolated?: boolean;
  /** Asks the host whether it answers the service module; resolves false on timeout. */
  probeServiceModule?: () => Promise<boolean>;
  /** Asks the browser's `LanguageModel` (injected in tests); default: the page's. */
  probeBrowserAi?: () => Promise<BuiltInAiState>;
}

// A minimal Wasm module using a v128 instruction: it validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Probes WebGPU, Wasm, isolation, memory, storage and the host's service module. Never throws. */
export async function probeCapabilities(options: ProbeOptions = {}): Promise<CapabilityProbe> {
  const nav = options.navigator ?? (globalThis as { navigator?: ProbeOptions['navigator'] }).navigator;
  const probe: CapabilityProbe = {
    webgpu: { adapter: false, isFallbackAdapter: false, shaderF16: false },
    wasm: { available: typeof WebAssembly === 'object', simd: false },
    crossOriginIsolated:
      options.crossOriginIsolated ?? (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false,
    hostServiceModule: 'unknown',
  };
  if (probe.wasm.available) {
    try {
      probe.wasm.simd = WebAssembly.validate(SIMD_PROBE);
    } catch {
      probe.wasm.simd = false;
    }
  }
  if (nav?.hardwareConcurrency !== undefined) probe.hardwareConcurrency = nav.hardwareConcurrency;
  if (nav?.deviceMemory !== undefined) probe.deviceMemoryGiB = nav.deviceMemory;
  try {
    const adapter = await nav?.gpu?.requestAdapter();
    if (adapter) {
      const info = adapter.info ?? {};
      probe.webgpu = {
        adapter: true,
        isFallbackAdapter: Boolean(info['isFallbackAdapter'] ?? adapter.isFallbackAdapter ?? false),
        shaderF16: adapter.features.has('shader-f16'),
        ...(adapter.limits['maxBufferSize'] !== undefined ? { maxBufferSize: adapter.limits['maxBufferSize'] } : {}),
        ...(adapter.limits['maxStorageBufferBindingSize'] !== undefined
          ? { maxStorageBufferBindingSize: adapter.limits['maxStorageBufferBindingSize'] }
          : {}),
        description: [info['vendor'], info['architecture'], info['description']]
          .filter((part) => typeof part === 'string' && part !== '')
          .join(' '),
      };
    }
  } catch {
    // No adapter is an answer, not an error.
  }
  try {
    const estimate = await nav?.storage?.estimate?.();
    if (estimate)
      probe.storage = {
        ...(estimate.quota !== undefined ? { quotaBytes: estimate.quota } : {}),
        ...(estimate.usage !== undefined ? { usageBytes: estimate.usage } : {}),
      };
  } catch {
    // Storage estimates are optional.
  }
  probe.browserAi = await (options.probeBrowserAi ?? probeBuiltInAi)();
  if (options.probeServiceModule) {
    probe.hostServiceModule = (await options.probeServiceModule().catch(() => false)) ? 'yes' : 'no';
  }
  return probe;
}
