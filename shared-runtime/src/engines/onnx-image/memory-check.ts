/**
 * Whether a diffusion model can fit here, decided from its manifest before anything is
 * downloaded. The limits are the browser's, not the model's: one ArrayBuffer holds at most
 * ~2 GB in Chromium (so one file must be smaller), WebAssembly's 32-bit memory holds 4 GiB
 * in all (the CPU provider keeps every weight inside it), and a device that reports little
 * memory (navigator.deviceMemory) cannot hold a multi-GB model.
 */
import { modelBytes, PART_LABELS, PART_NAMES, type DiffusionManifest } from './manifest.js';

export type ExecutionProvider = 'webgpu' | 'wasm';

/** Chromium's per-ArrayBuffer ceiling is about 2.15 GB; stay under 2 GiB. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;
/** The CPU provider's WebAssembly memory: 4 GiB, of which the runtime itself needs some. */
export const WASM_MEMORY_BYTES = 4 * 2 ** 30;
const GB = 1e9;

export interface MemoryLimits {
  /** navigator.deviceMemory (GiB; Chromium reports at most 8). */
  deviceMemoryGiB?: number;
}

const gb = (bytes: number) => `${(bytes / GB).toFixed(bytes < 10 * GB ? 1 : 0)} GB`;

/** The memory a model needs while it generates. */
export function memoryNeeded(manifest: DiffusionManifest): number {
  return manifest.memoryBytes ?? Math.round(modelBytes(manifest) * 1.25);
}

/** Why the model cannot run on `provider` with these limits, or undefined when it can. */
export function whyItCannotFit(
  manifest: DiffusionManifest,
  provider: ExecutionProvider,
  limits: MemoryLimits,
): string | undefined {
  for (const name of PART_NAMES) {
    const part = manifest[name];
    if (part.bytes > MAX_FILE_BYTES) {
      return (
        `The ${PART_LABELS[name]} is one ${gb(part.bytes)} file; a browser cannot hold a file over 2 GB in memory. ` +
        'It needs its weights split into ONNX external-data files under 2 GB each.'
      );
    }
  }
  const needed = memoryNeeded(manifest);
  if (provider === 'wasm' && needed > WASM_MEMORY_BYTES * 0.9) {
    return (
      `The model needs about ${gb(needed)} of memory; ` +
      `the CPU (WebAssembly) provider can hold at most about ${gb(WASM_MEMORY_BYTES * 0.9)}. It needs a GPU (WebGPU).`
    );
  }
  if (limits.deviceMemoryGiB !== undefined && limits.deviceMemoryGiB > 0) {
    // deviceMemory is rounded down and capped at 8 GiB; a tab gets about half of it at best.
    const available = limits.deviceMemoryGiB * 2 ** 30 * 0.5;
    if (needed > available)
      return `The model needs about ${gb(needed)} of memory; this device reports ${limits.deviceMemoryGiB} GB in all.`;
  }
  return undefined;
}
