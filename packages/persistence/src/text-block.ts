import { LEGACY_HASH, typeIds, type TypeIds } from '@ai-blocks/block-metadata';
import type { Entity } from '@blockprotocol/graph';
import type { GraphClient } from './graph-client.js';
import { provenanceFromProperties, provenanceToProperties, type Provenance } from './provenance.js';
import { readProperties } from './read-properties.js';

/** What the AI Text block shows, read from its block entity. */
export interface TextBlockView {
  prompt: string;
  text: string;
  systemPrompt?: string;
  temperature?: number;
  maxOutputTokens?: number;
  provenance: Provenance;
  /** The entity was written by HASH's original AI Text block (ai-text-block/v/2). */
  legacy: boolean;
  warnings: string[];
}

/** Everything the block keeps in one write. */
export interface TextOutput {
  prompt: string;
  text: string;
  systemPrompt?: string;
  temperature?: number;
  maxOutputTokens?: number;
  provenance: Provenance;
}

/** Reads the AI Text block entity, ours or HASH's legacy one, without losing its data. */
export function readTextBlock(entity: Entity | undefined, ids: TypeIds = typeIds()): TextBlockView {
  if (!entity) return { prompt: '', text: '', provenance: {}, legacy: false, warnings: [] };
  const legacy = entity.metadata.entityTypeId === LEGACY_HASH.entityType.aiTextBlock;
  const { properties, warnings } = readProperties('ai-text-block', entity.properties, ids.baseUrl);
  const raw = entity.properties as Record<string, unknown>;
  const legacyPrompt =
    typeof raw[LEGACY_HASH.property.openaiTextModelPrompt] === 'string'
      ? (raw[LEGACY_HASH.property.openaiTextModelPrompt] as string)
      : undefined;
  const legacyModel =
    typeof raw[LEGACY_HASH.property.openaiTextModelName] === 'string'
      ? (raw[LEGACY_HASH.property.openaiTextModelName] as string)
      : undefined;
  const provenance = provenanceFromProperties(ids, properties);
  if (legacyModel !== undefined && provenance.modelId === undefined) {
    provenance.modelId = legacyModel;
    provenance.engineId ??= 'service-module';
  }
  const view: TextBlockView = {
    prompt: (properties[ids.property.prompt] as string | undefined) ?? legacyPrompt ?? '',
    text: (properties[ids.property.textualContent] as string | undefined) ?? '',
    provenance,
    legacy,
    warnings,
  };
  const systemPrompt = properties[ids.property['system-prompt']] as string | undefined;
  const temperature = properties[ids.property.temperature] as number | undefined;
  const maxOutputTokens = properties[ids.property['max-output-tokens']] as number | undefined;
  if (systemPrompt !== undefined) view.systemPrompt = systemPrompt;
  if (temperature !== undefined) view.temperature = temperature;
  if (maxOutputTokens !== undefined) view.maxOutputTokens = maxOutputTokens;
  return view;
}

/**
 * The properties one Keep writes: prompt, text and provenance merged over the entity's
 * current properties (updateEntity overwrites, so unknown properties must be carried over).
 * A legacy HASH entity keeps its type and gets only the properties that type knows.
 */
export function textOutputProperties(
  entity: Entity,
  output: TextOutput,
  ids: TypeIds = typeIds(),
): Record<string, unknown> {
  const current = entity.properties as Record<string, unknown>;
  if (entity.metadata.entityTypeId === LEGACY_HASH.entityType.aiTextBlock) {
    const legacy: Record<string, unknown> = {
      ...current,
      [ids.property.textualContent]: output.text,
      [LEGACY_HASH.property.openaiTextModelPrompt]: output.prompt,
    };
    if (output.provenance.modelId) legacy[LEGACY_HASH.property.openaiTextModelName] = output.provenance.modelId;
    return legacy;
  }
  // Provenance of an earlier output must not linger next to a new one.
  const cleared = Object.fromEntries(
    Object.entries(current).filter(([key]) => !Object.values(provenanceKeys(ids)).includes(key)),
  );
  const properties: Record<string, unknown> = {
    ...cleared,
    [ids.property.prompt]: output.prompt,
    [ids.property.textualContent]: output.text,
    ...provenanceToProperties(ids, output.provenance),
  };
  setOrDelete(properties, ids.property['system-prompt'], output.systemPrompt);
  setOrDelete(properties, ids.property.temperature, output.temperature);
  setOrDelete(properties, ids.property['max-output-tokens'], output.maxOutputTokens);
  return properties;
}

/** Keeps a text output with exactly one updateEntity. */
export async function saveTextOutput(
  client: GraphClient,
  entity: Entity,
  output: TextOutput,
  ids: TypeIds = typeIds(),
): Promise<Entity> {
  return client.updateEntity({
    entityId: entity.metadata.recordId.entityId,
    entityTypeId: entity.metadata.entityTypeId,
    properties: textOutputProperties(entity, output, ids) as Entity['properties'],
  });
}

function provenanceKeys(ids: TypeIds): string[] {
  return Object.keys(
    provenanceToProperties(ids, {
      engineId: '',
      modelId: '',
      inputTokens: 0,
      outputTokens: 0,
      startedAt: '',
      durationMs: 0,
      timeToFirstTokenMs: 0,
      completionStatus: 'complete',
      finishReason: '',
      editedAt: '',
    }),
  );
}

function setOrDelete(properties: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) Reflect.deleteProperty(properties, key);
  else properties[key] = value;
}
