import type { GenerationOutcome, GenerationTiming } from './generation-controller.js';

/** Provenance of one generation, in the persistence layer's shape (structural: no import). */
export interface RunProvenance {
  engineId?: string;
  modelId?: string;
  inputTokens?: number;
  outputTokens?: number;
  startedAt: string;
  durationMs: number;
  timeToFirstTokenMs?: number;
  completionStatus: 'complete' | 'stopped' | 'error';
  finishReason?: string;
  /**
   * Where an in-browser engine ran the model (the Wasm engine: llama.cpp's WebGPU backend or the
   * CPU), when it says. Shown with the run; not a stored property (yet).
   */
  backend?: 'webgpu' | 'cpu';
}

/** The runtime's finish reasons; anything else an engine passes on is stored as `other`. */
const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'content-filter', 'error', 'abort', 'other']);

// Provenance goes through structuredClone and JSON on its way to the graph: every value must
// be a plain string or a finite number, whatever an engine or a server handed over.
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;

/** The backend an engine (or the engine a fallback engine switched to) reports, if a known one. */
function backendOf(engine: object | undefined): RunProvenance['backend'] {
  const { backend, active } = (engine ?? {}) as { backend?: unknown; active?: { backend?: unknown } };
  const value = backend ?? active?.backend;
  return value === 'webgpu' || value === 'cpu' ? value : undefined;
}

/**
 * What is stored with an output: which engine and model, tokens, when, how long, time to first
 * token, and whether it completed, was stopped, or ended with an error. Always plain JSON.
 */
export function runProvenance(
  engine: { engineId: string; modelId: string } | undefined,
  outcome: GenerationOutcome,
  timing: GenerationTiming,
): RunProvenance {
  const engineId = text(engine?.engineId);
  // The model the server said answered wins over the one asked for (a host's own choice, a router).
  const modelId = text(outcome.responseModelId) ?? text(engine?.modelId);
  const backend = backendOf(engine);
  // The controller times with performance.now(); convert its start to wall-clock time.
  const started = new Date(Date.now() - (performance.now() - timing.startedAt));
  const inputTokens = count(outcome.usage?.inputTokens);
  const outputTokens = count(outcome.usage?.outputTokens);
  const firstToken = timing.firstTokenAt === undefined ? undefined : count(timing.firstTokenAt - timing.startedAt);
  // Typed as a string, but it came from an engine and, through it, from a server.
  const reason: unknown = outcome.finishReason;
  const finishReason =
    reason === undefined ? undefined : typeof reason === 'string' && FINISH_REASONS.has(reason) ? reason : 'other';
  return {
    ...(engineId !== undefined ? { engineId } : {}),
    ...(modelId !== undefined ? { modelId } : {}),
    startedAt: (Number.isFinite(started.getTime()) ? started : new Date()).toISOString(),
    durationMs: count((timing.finishedAt ?? timing.startedAt) - timing.startedAt) ?? 0,
    ...(firstToken !== undefined ? { timeToFirstTokenMs: firstToken } : {}),
    // A prompt is never 0 tokens: 0 means the engine could not count it (wllama), so leave it out.
    ...(inputTokens ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
    completionStatus: outcome.status === 'complete' ? 'complete' : outcome.status === 'aborted' ? 'stopped' : 'error',
    ...(finishReason !== undefined ? { finishReason } : {}),
    ...(backend ? { backend } : {}),
  };
}
