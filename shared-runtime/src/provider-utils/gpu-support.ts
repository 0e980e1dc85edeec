// The one rule for whether this GPU can run a model. Callers put the answer in their own
// words (the engine picker, the model list, web-llm's model records); the rule is here.

/** What the probed WebGPU adapter offers (a subset of `CapabilityProbe['webgpu']`). */
export interface GpuLimits {
  adapter: boolean;
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

/** What a model needs from the GPU; absent needs are not checked. */
export interface GpuNeeds {
  /** The model's shaders use the GPU feature `shader-f16`. */
  f16?: boolean;
  /** The largest storage buffer the model binds, in bytes. */
  bufferBytes?: number;
  /** GPU memory the model needs, in bytes. */
  memoryBytes?: number;
  /** The most GPU memory a model may take here; by default estimated from the adapter's limits. */
  memoryLimitBytes?: number;
}

/** Why the GPU cannot run the model, as data. */
export type GpuShortfall =
  | { kind: 'no-webgpu' }
  /** A software adapter (SwiftShader) is far too slow for a model: it counts as no GPU. */
  | { kind: 'software' }
  | { kind: 'no-f16' }
  | { kind: 'buffer-too-small'; neededBytes: number; allowedBytes: number }
  | { kind: 'too-little-memory'; neededBytes: number; allowedBytes: number };

/**
 * The GPU memory a model may take when nothing better is known: four times the largest
 * buffer the adapter allows (WebGPU does not say how much memory a GPU has).
 */
export function estimatedGpuMemoryBytes(gpu: GpuLimits): number | undefined {
  return gpu.maxBufferSize === undefined ? undefined : gpu.maxBufferSize * 4;
}

/** Whether the GPU can run a model with these needs: undefined when it can, else why not. */
export function gpuShortfall(gpu: GpuLimits, needs: GpuNeeds = {}): GpuShortfall | undefined {
  if (!gpu.adapter) return { kind: 'no-webgpu' };
  if (gpu.isFallbackAdapter) return { kind: 'software' };
  if (needs.f16 && !gpu.shaderF16) return { kind: 'no-f16' };
  const bufferLimit = gpu.maxStorageBufferBindingSize ?? gpu.maxBufferSize;
  if (needs.bufferBytes !== undefined && bufferLimit !== undefined && needs.bufferBytes > bufferLimit) {
    return { kind: 'buffer-too-small', neededBytes: needs.bufferBytes, allowedBytes: bufferLimit };
  }
  const memoryLimit = needs.memoryLimitBytes ?? estimatedGpuMemoryBytes(gpu);
  if (needs.memoryBytes !== undefined && memoryLimit !== undefined && needs.memoryBytes > memoryLimit) {
    return { kind: 'too-little-memory', neededBytes: needs.memoryBytes, allowedBytes: memoryLimit };
  }
  return undefined;
}

/**
 * Whether this page can get a WebGPU adapter at all: `downloadable` (a GPU model could be
 * fetched and run) or `unavailable` (no WebGPU, or no adapter). Never throws.
 */
export async function webgpuAdapterAvailability(): Promise<'downloadable' | 'unavailable'> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return 'unavailable';
  try {
    return (await gpu.requestAdapter()) ? 'downloadable' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/** The part of a WebGPU adapter that `gpuLimitsOf` reads (structural, so tests can pass a plain object). */
export interface GpuAdapterLike {
  features: { has(name: string): boolean };
  limits: Record<string, number | undefined> | object;
  info?: object;
  isFallbackAdapter?: boolean;
}

/** What an adapter offers, as the one GPU rule reads it; `null` (no adapter) is no WebGPU. */
export function gpuLimitsOf(adapter: GpuAdapterLike | null | undefined): GpuLimits {
  if (!adapter) return { adapter: false, isFallbackAdapter: false, shaderF16: false };
  const limits = adapter.limits as Record<string, number | undefined>;
  const info = (adapter.info ?? {}) as { isFallbackAdapter?: unknown };
  const limit = (name: string) => (typeof limits[name] === 'number' ? { [name]: limits[name] } : {});
  return {
    adapter: true,
    // Chromium moved the flag from the adapter to `adapter.info`; either says "software".
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
    shaderF16: adapter.features.has('shader-f16'),
    ...limit('maxBufferSize'),
    ...limit('maxStorageBufferBindingSize'),
  };
}

/** Asks the page's WebGPU for an adapter and reads what it offers. Never throws: a failure is no adapter. */
export async function probeGpuLimits(
  gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } }).navigator?.gpu,
): Promise<GpuLimits> {
  try {
    return gpuLimitsOf(gpu ? await gpu.requestAdapter() : null);
  } catch {
    return gpuLimitsOf(null);
  }
}
