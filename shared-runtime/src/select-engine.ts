import type { CapabilityProbe } from './probe-capabilities.js';
import { formatBytes } from './provider-utils/bytes.js';

/** The engines a block can use. */
export type EngineId = 'service-module' | 'webllm' | 'wasm' | 'openai-compatible' | 'anthropic';

/** The order engines are tried in when the person has not chosen (ARCHITECTURE §3). */
export const DEFAULT_ENGINE_ORDER: readonly EngineId[] = ['service-module', 'webllm', 'wasm', 'openai-compatible', 'anthropic'];

const NAMES: Record<EngineId, string> = {
  'service-module': 'the page’s AI service',
  webllm: 'the GPU model (WebGPU)',
  wasm: 'the CPU model (WebAssembly)',
  'openai-compatible': 'the OpenAI-compatible service',
  anthropic: 'Anthropic',
};

/** The model a local engine would use, and whether it is ready. */
export interface LocalModelState {
  modelId: string;
  /** Bytes to download (0 when cached). */
  downloadBytes: number;
  cached: boolean;
  /** The person agreed to download it. */
  consented: boolean;
  /** GPU memory the model needs (web-llm), in bytes. */
  vramBytes?: number;
}

/** What the host and the person have configured. */
export interface SelectionConfig {
  webllm?: LocalModelState;
  wasm?: LocalModelState;
  openaiCompatible?: { configured: boolean };
  anthropic?: { configured: boolean };
}

export interface EnginePreference {
  /** The person's choice; undefined or 'auto' lets the runtime choose. */
  engineId?: EngineId | 'auto';
}

export interface EngineSelection {
  /** The engine to use, or undefined when none can run. */
  choice: EngineId | undefined;
  /** Set when the choice is a local model that must be downloaded first (show the size, ask). */
  pendingDownloadBytes?: number;
  /** One sentence a person can read about the choice. */
  summary: string;
  /** For every engine not chosen, why — the text the picker shows. */
  reasons: Partial<Record<EngineId, string>>;
}

function lowerFirst(text: string): string {
  return /^(WebGPU|GPU|CPU)/.test(text) ? text : `${text[0]?.toLowerCase() ?? ''}${text.slice(1)}`;
}

export { formatBytes };

/** Why an engine cannot run here at all (undefined when it can). */
function whyUnsupported(engineId: EngineId, probe: CapabilityProbe, config: SelectionConfig): string | undefined {
  switch (engineId) {
    case 'service-module':
      if (probe.hostServiceModule === 'no') return 'The page’s host does not offer an AI service.';
      if (probe.hostServiceModule === 'unknown') return 'The page’s host has not said whether it offers an AI service.';
      return undefined;
    case 'webllm': {
      if (!probe.webgpu.adapter) return 'This browser has no WebGPU.';
      if (probe.webgpu.isFallbackAdapter) return 'WebGPU here runs in software, without a real GPU.';
      if (!probe.webgpu.shaderF16) return 'This GPU lacks shader-f16, which the GPU models need.';
      const needed = config.webllm?.vramBytes;
      const available = probe.webgpu.maxBufferSize;
      if (needed !== undefined && available !== undefined && needed > available * 4) return `The GPU model needs about ${formatBytes(needed)} of GPU memory; this GPU allows less.`;
      if (!config.webllm) return 'No GPU model is available for this browser.';
      return undefined;
    }
    case 'wasm':
      if (!probe.wasm.available) return 'This browser cannot run WebAssembly.';
      if (!config.wasm) return 'No CPU model is configured.';
      return undefined;
    case 'openai-compatible':
      return config.openaiCompatible?.configured ? undefined : 'No OpenAI-compatible endpoint is set up.';
    case 'anthropic':
      return config.anthropic?.configured ? undefined : 'No Anthropic API key is set.';
  }
}

function localModel(engineId: EngineId, config: SelectionConfig): LocalModelState | undefined {
  return engineId === 'webllm' ? config.webllm : engineId === 'wasm' ? config.wasm : undefined;
}

/**
 * Chooses an engine: a pure function of the person's preference, the probed capabilities
 * and the configuration. Returns the choice and, for each engine not chosen, the reason.
 * A fallback adapter or one without shader-f16 counts as no usable GPU for web-llm.
 */
export function selectEngine(preference: EnginePreference, probe: CapabilityProbe, config: SelectionConfig): EngineSelection {
  const wanted = preference.engineId && preference.engineId !== 'auto' ? preference.engineId : undefined;
  const reasons: Partial<Record<EngineId, string>> = {};
  for (const engineId of DEFAULT_ENGINE_ORDER) {
    const reason = whyUnsupported(engineId, probe, config);
    if (reason) reasons[engineId] = reason;
  }
  const supported = DEFAULT_ENGINE_ORDER.filter((engineId) => reasons[engineId] === undefined);
  const ready = (engineId: EngineId) => {
    const model = localModel(engineId, config);
    return !model || model.cached || model.consented;
  };
  const finish = (choice: EngineId | undefined, summary: string): EngineSelection => {
    const notChosen: Partial<Record<EngineId, string>> = {};
    for (const engineId of DEFAULT_ENGINE_ORDER) {
      if (engineId === choice) continue;
      // Engines that could run but were passed over say so too.
      notChosen[engineId] = reasons[engineId] ?? (choice ? `Available; ${NAMES[choice]} is used ${choice === wanted ? 'as you chose' : 'first'}.` : 'Available.');
    }
    const selection: EngineSelection = { choice, summary, reasons: notChosen };
    if (choice) {
      const model = localModel(choice, config);
      if (model && !model.cached) selection.pendingDownloadBytes = model.downloadBytes;
    }
    return selection;
  };

  let note = '';
  if (wanted) {
    if (reasons[wanted] === undefined) return finish(wanted, `Using ${NAMES[wanted]}, as chosen.`);
    note = `${NAMES[wanted][0]?.toUpperCase() ?? ''}${NAMES[wanted].slice(1)} can’t run: ${reasons[wanted] ?? ''} `;
  }

  // Models waiting for a download lose to engines that can start now, but their reason says so.
  for (const engineId of supported) {
    if (ready(engineId)) {
      for (const other of supported) {
        const model = localModel(other, config);
        if (other !== engineId && model && !ready(other)) reasons[other] = `Its model needs a ${formatBytes(model.downloadBytes)} download first; choose it to download.`;
      }
      const why = engineId === 'wasm' && reasons.webllm ? `: ${lowerFirst(reasons.webllm.replace(/\.$/, ''))}` : '';
      return finish(engineId, `${note}Using ${NAMES[engineId]}${why}.`);
    }
  }
  const firstLocal = supported.find((engineId) => localModel(engineId, config));
  if (firstLocal) {
    const model = localModel(firstLocal, config);
    const why = firstLocal === 'wasm' && reasons.webllm ? ` (not the GPU model: ${lowerFirst(reasons.webllm.replace(/\.$/, ''))})` : '';
    return finish(firstLocal, `${note}${NAMES[firstLocal][0]?.toUpperCase() ?? ''}${NAMES[firstLocal].slice(1)} is free and private, after a one-time ${formatBytes(model?.downloadBytes ?? 0)} download${why}.`);
  }
  return finish(undefined, `${note}No engine can run here: set up an AI service on the host, or use a browser with WebAssembly.`);
}
