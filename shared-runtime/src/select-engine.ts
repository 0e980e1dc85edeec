import { DEFAULT_ENGINE_ORDER, engineEntry, type EngineId } from './engine-table.js';
import { gpuShortfall, type GpuShortfall } from './provider-utils/gpu-support.js';
import type { CapabilityProbe } from './probe-capabilities.js';
import { formatBytes } from './provider-utils/bytes.js';

export { DEFAULT_ENGINE_ORDER, type EngineId };

/** The engine's name inside a sentence, from the engine table. */
const nameOf = (engineId: EngineId): string => engineEntry(engineId).name;

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
  /** Whether the GPU needs shader-f16 for it (default true: web-llm's models do). */
  requiresF16?: boolean;
  /** Why this model cannot run on this engine here (e.g. an image model too large for the CPU). */
  unsupportedReason?: string;
}

/** What the host and the person have configured. */
export interface SelectionConfig {
  webllm?: LocalModelState;
  wasm?: LocalModelState;
  openaiCompatible?: { configured: boolean };
  anthropic?: { configured: boolean };
  /** The engines this block can use (AI Image: the table's image engines); default all. */
  engines?: readonly EngineId[];
}

export interface EnginePreference {
  /** The person's choice; undefined or 'auto' lets the runtime choose. */
  engineId?: EngineId | 'auto';
}

/** What a reason says about an engine, for code; `text` is what a person reads. */
export type SelectionReasonKind =
  /** It could run, but another engine is used. */
  | 'available'
  /** It could run once its model is downloaded (choosing it starts the download). */
  | 'needs-download'
  /** This browser, GPU or host cannot run it. */
  | 'unsupported'
  /** Nobody has set it up (no endpoint, no key, no model). */
  | 'not-configured';

/** Why an engine was not chosen. */
export interface SelectionReason {
  kind: SelectionReasonKind;
  text: string;
}

export interface EngineSelection {
  /** The engine to use, or undefined when none can run. */
  choice: EngineId | undefined;
  /** Set when the choice is a local model that must be downloaded first (show the size, ask). */
  pendingDownloadBytes?: number;
  /** One sentence a person can read about the choice. */
  summary: string;
  /** Whether `summary` already tells of the pending download (so nobody says it twice). */
  summarySaysDownload: boolean;
  /** For every engine not chosen, why — the text the picker shows. */
  reasons: Partial<Record<EngineId, SelectionReason>>;
}

function lowerFirst(text: string): string {
  return /^(WebGPU|GPU|CPU)/.test(text) ? text : `${text[0]?.toLowerCase() ?? ''}${text.slice(1)}`;
}

export { formatBytes };

/** A GPU shortfall in the engine picker's words. */
function gpuReason(shortfall: GpuShortfall): string {
  switch (shortfall.kind) {
    case 'no-webgpu':
      return 'This browser has no WebGPU.';
    case 'software':
      return 'WebGPU here runs in software, without a real GPU.';
    case 'no-f16':
      return 'This GPU lacks shader-f16, which the GPU models need.';
    case 'buffer-too-small':
    case 'too-little-memory':
      return `The GPU model needs about ${formatBytes(shortfall.neededBytes)} of GPU memory; this GPU allows less.`;
  }
}

const unsupported = (text: string): SelectionReason => ({ kind: 'unsupported', text });
const notConfigured = (text: string): SelectionReason => ({ kind: 'not-configured', text });

/** Why an engine cannot run here at all (undefined when it can). */
function whyUnsupported(
  engineId: EngineId,
  probe: CapabilityProbe,
  config: SelectionConfig,
): SelectionReason | undefined {
  switch (engineId) {
    case 'service-module':
      if (probe.hostServiceModule === 'no') return unsupported('The page’s host does not offer an AI service.');
      if (probe.hostServiceModule === 'unknown')
        return unsupported('The page’s host has not said whether it offers an AI service.');
      return undefined;
    case 'webllm': {
      // The GPU engine is offered only where shader-f16 is (docs/engines.md, "Which engine runs").
      const vramBytes = config.webllm?.vramBytes;
      const shortfall = gpuShortfall(probe.webgpu, {
        f16: config.webllm?.requiresF16 ?? true,
        ...(vramBytes !== undefined ? { memoryBytes: vramBytes } : {}),
      });
      if (shortfall) return unsupported(gpuReason(shortfall));
      if (!config.webllm) return unsupported('No GPU model is available for this browser.');
      if (config.webllm.unsupportedReason) return unsupported(config.webllm.unsupportedReason);
      return undefined;
    }
    case 'wasm':
      if (!probe.wasm.available) return unsupported('This browser cannot run WebAssembly.');
      if (!config.wasm) return notConfigured('No CPU model is configured.');
      if (config.wasm.unsupportedReason) return unsupported(config.wasm.unsupportedReason);
      return undefined;
    case 'browser-ai':
      return browserAiReason(probe.browserAi);
    case 'openai-compatible':
      return config.openaiCompatible?.configured
        ? undefined
        : notConfigured('Not connected: use “Connect a model…” (OpenAI, OpenRouter, Ollama, LM Studio…).');
    case 'anthropic':
      return config.anthropic?.configured
        ? undefined
        : notConfigured('Not connected: use “Connect a model…” with an Anthropic key.');
  }
}

/** Chrome's built-in model: why it cannot run here, if it cannot (docs/engines.md). */
function browserAiReason(state: CapabilityProbe['browserAi']): SelectionReason | undefined {
  switch (state) {
    case undefined:
    case 'no-api':
      return unsupported('This browser has no built-in model (Chrome 148 or later has one).');
    case 'blocked':
      return unsupported(
        'The page’s permissions policy blocks the browser’s built-in model: a cross-origin frame needs ' +
          'allow="language-model" (hosts that sandbox blocks in frames must add it).',
      );
    case 'unavailable':
      return unsupported('Chrome’s built-in model is not available on this device.');
    default:
      return undefined;
  }
}

/** Said of Chrome's built-in model while Chrome still has to download it. */
const BROWSER_AI_DOWNLOAD: SelectionReason = {
  kind: 'needs-download',
  text: 'Chrome downloads its built-in model first (once, for every site); choose it, then Download.',
};

function localModel(engineId: EngineId, config: SelectionConfig): LocalModelState | undefined {
  return engineId === 'webllm' ? config.webllm : engineId === 'wasm' ? config.wasm : undefined;
}

/**
 * Chooses an engine: a pure function of the person's preference, the probed capabilities
 * and the configuration. Returns the choice and, for each engine not chosen, the reason.
 * A fallback adapter or one without shader-f16 counts as no usable GPU for web-llm.
 */
export function selectEngine(
  preference: EnginePreference,
  probe: CapabilityProbe,
  config: SelectionConfig,
): EngineSelection {
  const wanted = preference.engineId && preference.engineId !== 'auto' ? preference.engineId : undefined;
  const reasons: Partial<Record<EngineId, SelectionReason>> = {};
  // A block that serves only some engines never chooses, nor explains, the others.
  const order = config.engines
    ? DEFAULT_ENGINE_ORDER.filter((engineId) => config.engines?.includes(engineId))
    : DEFAULT_ENGINE_ORDER;
  for (const engineId of order) {
    const reason = whyUnsupported(engineId, probe, config);
    if (reason) reasons[engineId] = reason;
  }
  const supported = order.filter((engineId) => reasons[engineId] === undefined);
  const ready = (engineId: EngineId) => {
    if (engineId === 'browser-ai') return probe.browserAi === 'available';
    const model = localModel(engineId, config);
    return !model || model.cached || model.consented;
  };
  const finish = (choice: EngineId | undefined, summary: string, summarySaysDownload = false): EngineSelection => {
    const notChosen: Partial<Record<EngineId, SelectionReason>> = {};
    for (const engineId of order) {
      if (engineId === choice) continue;
      // Engines that could run but were passed over say so too.
      notChosen[engineId] = reasons[engineId] ??
        (engineId === 'browser-ai' && !ready(engineId) ? BROWSER_AI_DOWNLOAD : undefined) ?? {
          kind: 'available',
          text: choice
            ? `Available; ${nameOf(choice)} is used ${choice === wanted ? 'as you chose' : 'first'}.`
            : 'Available.',
        };
    }
    const selection: EngineSelection = { choice, summary, summarySaysDownload, reasons: notChosen };
    if (choice) {
      const model = localModel(choice, config);
      if (model && !model.cached) selection.pendingDownloadBytes = model.downloadBytes;
    }
    return selection;
  };

  let note = '';
  if (wanted) {
    if (reasons[wanted] === undefined && order.includes(wanted))
      return wanted === 'browser-ai' && !ready(wanted)
        ? finish(wanted, `Using ${nameOf(wanted)}, as chosen, once Chrome has downloaded it (Download below).`, true)
        : finish(wanted, `Using ${nameOf(wanted)}, as chosen.`);
    const why = reasons[wanted]?.text ?? 'This block does not use it.';
    note = `${nameOf(wanted)[0]?.toUpperCase() ?? ''}${nameOf(wanted).slice(1)} can’t run: ${why} `;
  }

  // Models waiting for a download lose to engines that can start now, but their reason says so.
  for (const engineId of supported) {
    if (ready(engineId)) {
      for (const other of supported) {
        const model = localModel(other, config);
        if (other !== engineId && model && !ready(other))
          reasons[other] = {
            kind: 'needs-download',
            text: `Its model needs a ${formatBytes(model.downloadBytes)} download first; choose it to download.`,
          };
      }
      const why =
        engineId === 'wasm' && reasons.webllm ? `: ${lowerFirst(reasons.webllm.text.replace(/\.$/, ''))}` : '';
      return finish(engineId, `${note}Using ${nameOf(engineId)}${why}.`);
    }
  }
  const firstLocal = supported.find((engineId) => localModel(engineId, config));
  if (firstLocal) {
    const model = localModel(firstLocal, config);
    const why =
      firstLocal === 'wasm' && reasons.webllm
        ? ` (not the GPU model: ${lowerFirst(reasons.webllm.text.replace(/\.$/, ''))})`
        : '';
    const name = nameOf(firstLocal);
    const Name = `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
    const size = formatBytes(model?.downloadBytes ?? 0);
    return finish(firstLocal, `${note}${Name} is free and private, after a one-time ${size} download${why}.`, true);
  }
  return finish(
    undefined,
    `${note}No engine can run here: set up an AI service on the host, or use a browser with WebAssembly.`,
  );
}
