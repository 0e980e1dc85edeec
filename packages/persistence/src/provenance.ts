import type { TypeIds } from '@ai-blocks/block-metadata';

/** How an output came to be: stored beside every output. */
export interface Provenance {
  engineId?: string;
  modelId?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** ISO 8601. */
  startedAt?: string;
  durationMs?: number;
  timeToFirstTokenMs?: number;
  /** `stopped` when the person stopped it; `error` when it ended with an error. */
  completionStatus?: 'complete' | 'stopped' | 'error';
  finishReason?: string;
  /** ISO 8601: when a person last changed the output by hand (it is then no longer the model's alone). */
  editedAt?: string;
}

const fields = {
  engineId: 'engine-id',
  modelId: 'model-id',
  inputTokens: 'input-tokens',
  outputTokens: 'output-tokens',
  startedAt: 'started-at',
  durationMs: 'duration-ms',
  timeToFirstTokenMs: 'time-to-first-token-ms',
  completionStatus: 'completion-status',
  finishReason: 'finish-reason',
  editedAt: 'edited-at',
} as const;

/** Provenance as entity properties (absent fields are left out). */
export function provenanceToProperties(ids: TypeIds, provenance: Provenance): Record<string, string | number> {
  const properties: Record<string, string | number> = {};
  for (const [field, slug] of Object.entries(fields)) {
    const value = provenance[field as keyof Provenance];
    if (value !== undefined) properties[ids.property[slug]] = value;
  }
  return properties;
}

/** Provenance read back from (already validated) entity properties. */
export function provenanceFromProperties(ids: TypeIds, properties: Record<string, unknown>): Provenance {
  const provenance: Record<string, unknown> = {};
  for (const [field, slug] of Object.entries(fields)) {
    const value = properties[ids.property[slug]];
    if (value !== undefined) provenance[field] = value;
  }
  const status = provenance['completionStatus'];
  if (status !== undefined && status !== 'complete' && status !== 'stopped' && status !== 'error') {
    delete provenance['completionStatus'];
  }
  return provenance;
}
