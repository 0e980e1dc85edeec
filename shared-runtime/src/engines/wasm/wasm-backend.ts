// Where the CPU engine's llama.cpp runs a GGUF. wllama 3 offloads every layer to WebGPU when
// its worker finds an adapter, software ones included; the engine decides instead, with the
// runtime's one GPU rule, and says which it did.
import { formatBytes } from '../../provider-utils/bytes.js';
import { gpuShortfall, type GpuLimits, type GpuShortfall } from '../../provider-utils/gpu-support.js';

/** Where llama.cpp runs the model's layers: its WebGPU backend, or the CPU. */
export type WasmBackend = 'webgpu' | 'cpu';

/** Where a GGUF runs, and the sentence a person reads about it. */
export interface WasmBackendChoice {
  backend: WasmBackend;
  /** E.g. "GGUF on the GPU (llama.cpp’s WebGPU backend)." or "GGUF on the CPU: …why." */
  text: string;
  /** Why not the GPU, as data (absent on the GPU, and when the GPU was turned off). */
  shortfall?: GpuShortfall;
}

export interface WasmBackendNeeds {
  /** `off` keeps the model on the CPU whatever the GPU; default `auto`. */
  gpu?: 'auto' | 'off';
  /** The GGUF's size in bytes: about the GPU memory its layers take. */
  modelBytes?: number;
}

/** wllama's `n_gpu_layers` for "every layer" (llama.cpp caps it at the model's layer count). */
export const ALL_GPU_LAYERS = 999;

export const GPU_TEXT = 'GGUF on the GPU (llama.cpp’s WebGPU backend).';

function whyNotGpu(shortfall: GpuShortfall): string {
  switch (shortfall.kind) {
    case 'no-webgpu':
      return 'this browser gives the page no WebGPU adapter';
    case 'software':
      return 'WebGPU here runs in software (e.g. SwiftShader), not on a real GPU';
    case 'no-f16':
      return 'the GPU lacks shader-f16, which llama.cpp’s WebGPU backend asks for';
    case 'buffer-too-small':
      return `the GPU’s buffers (${formatBytes(shortfall.allowedBytes)}) are too small for the model`;
    case 'too-little-memory':
      return (
        `the model (${formatBytes(shortfall.neededBytes)}) is larger than this GPU is likely to hold ` +
        `(${formatBytes(shortfall.allowedBytes)})`
      );
  }
}

/**
 * The one decision of where the CPU engine runs a GGUF: on the GPU through llama.cpp's WebGPU
 * backend when the page has a real GPU that fits the model (`gpuShortfall`, the runtime's GPU
 * rule, with shader-f16 and the model's size), on the CPU otherwise. Both the picker (from the
 * page's probe, before anything loads) and the engine (when the model loads) ask this.
 */
export function chooseWasmBackend(gpu: GpuLimits, needs: WasmBackendNeeds = {}): WasmBackendChoice {
  if (needs.gpu === 'off') return { backend: 'cpu', text: 'GGUF on the CPU: the GPU is turned off for this engine.' };
  const shortfall = gpuShortfall(gpu, { f16: true, ...(needs.modelBytes ? { memoryBytes: needs.modelBytes } : {}) });
  if (!shortfall) return { backend: 'webgpu', text: GPU_TEXT };
  return { backend: 'cpu', shortfall, text: `GGUF on the CPU: ${whyNotGpu(shortfall)}.` };
}

/** Layers llama.cpp put on the GPU, as its load log says ("offloaded 3/3 layers to GPU"). */
export interface OffloadedLayers {
  offloaded: number;
  total: number;
}

/** Reads llama.cpp's "offloaded N/M layers to GPU" log line; undefined for any other line. */
export function offloadedLayers(line: string): OffloadedLayers | undefined {
  const match = /offloaded (\d+)\/(\d+) layers to GPU/.exec(line);
  return match ? { offloaded: Number(match[1]), total: Number(match[2]) } : undefined;
}

/**
 * The choice as it turned out once llama.cpp loaded the model: its own count of GPU layers
 * wins over the plan. llama.cpp logs that count only when it has a GPU device; its worker may
 * find no adapter even where the page found one, and then it logs none: that is the CPU.
 */
export function confirmedBackend(planned: WasmBackendChoice, layers: OffloadedLayers | undefined): WasmBackendChoice {
  if (planned.backend !== 'webgpu') return planned;
  if (!layers || layers.offloaded === 0)
    return { backend: 'cpu', text: 'GGUF on the CPU: llama.cpp found no usable GPU in its worker.' };
  return layers.offloaded < layers.total
    ? {
        backend: 'webgpu',
        text:
          'GGUF on the GPU (llama.cpp’s WebGPU backend, ' +
          `${String(layers.offloaded)} of ${String(layers.total)} layers).`,
      }
    : planned;
}
