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
}

/**
 * What is stored with an output: which engine and model, tokens, when, how long, time to first
 * token, and whether it completed, was stopped, or ended with an error.
 */
export function runProvenance(engine: { engineId: string; modelId: string } | undefined, outcome: GenerationOutcome, timing: GenerationTiming): RunProvenance {
  return {
    ...(engine ? { engineId: engine.engineId, modelId: engine.modelId } : {}),
    // The controller times with performance.now(); convert its start to wall-clock time.
    startedAt: new Date(Date.now() - (performance.now() - timing.startedAt)).toISOString(),
    durationMs: Math.round((timing.finishedAt ?? timing.startedAt) - timing.startedAt),
    ...(timing.firstTokenAt !== undefined ? { timeToFirstTokenMs: Math.round(timing.firstTokenAt - timing.startedAt) } : {}),
    // A prompt is never 0 tokens: 0 means the engine could not count it (wllama), so leave it out.
    ...(outcome.usage && outcome.usage.inputTokens > 0 ? { inputTokens: outcome.usage.inputTokens } : {}),
    ...(outcome.usage ? { outputTokens: outcome.usage.outputTokens } : {}),
    completionStatus: outcome.status === 'complete' ? 'complete' : outcome.status === 'aborted' ? 'stopped' : 'error',
    ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
  };
}
