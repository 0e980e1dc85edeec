import { engineCredit, modelLabel } from '@ai-blocks/runtime';
import { html, nothing, type TemplateResult } from 'lit';

/** What the provenance line shows (structural: the persistence package's Provenance fits). */
export interface ProvenanceLine {
  engineId?: string;
  modelId?: string;
  outputTokens?: number;
  durationMs?: number;
  completionStatus?: string;
  /** Where an in-browser engine ran the model (`webgpu` or `cpu`), when the run said. */
  backend?: string;
  /** When a person last changed the output by hand. */
  editedAt?: string;
}

/**
 * A model's name where the catalogue has one ("SmolLM2 135M Instruct"); the id a server or a
 * person gave otherwise. The service module's placeholder for "whatever the host runs" is left out.
 */
function modelCredit(modelId: string): string | undefined {
  if (modelId === 'host-default') return undefined;
  return modelLabel(modelId);
}

/**
 * The line under an output: engine, model, tokens, seconds, speed, and whether it was stopped
 * early or ended with an error. Nothing when neither engine nor model is known. `engine: false`
 * and `speed: false` leave the engine and the tokens a second out (a chat's line under each reply).
 */
export function renderProvenanceLine(
  provenance: ProvenanceLine,
  options: { engine?: boolean; speed?: boolean } = {},
): TemplateResult | typeof nothing {
  const { engineId, modelId, outputTokens, durationMs, completionStatus, backend, editedAt } = provenance;
  if (!engineId && !modelId) return nothing;
  const seconds = durationMs !== undefined ? durationMs / 1000 : undefined;
  const parts = [
    options.engine === false || !engineId ? undefined : engineCredit(engineId, backend),
    modelId ? modelCredit(modelId) : undefined,
    // No-break spaces: a number never wraps away from its unit.
    outputTokens !== undefined ? `${outputTokens}\u00a0tokens` : undefined,
    seconds !== undefined ? `${seconds.toFixed(1)}\u00a0s` : undefined,
    options.speed !== false && outputTokens !== undefined && seconds
      ? `${(outputTokens / seconds).toFixed(1)}\u00a0tokens/s`
      : undefined,
    completionStatus === 'stopped' ? 'stopped early' : completionStatus === 'error' ? 'ended with an error' : undefined,
    editedAt ? 'edited by a person' : undefined,
  ].filter(Boolean);
  const status = completionStatus ?? '';
  return html`<p class="provenance" part="provenance" data-status=${status} ?data-edited=${!!editedAt}>
    ${parts.join(' · ')}
  </p>`;
}
