import { LEGACY_HASH, typeIds, type TypeIds } from '@ai-blocks/block-metadata';
import type { Entity } from '@blockprotocol/graph';
import type { GraphClient } from './graph-client.js';
import { readProperties } from './read-properties.js';

/** A conversation's settings, stored on the chat block entity. */
export interface ChatSettings {
  engineId?: string;
  modelId?: string;
  systemPrompt?: string;
  presetSystemPromptId?: string;
  temperature?: number;
  maxOutputTokens?: number;
}

const fields = {
  engineId: 'engine-id',
  modelId: 'model-id',
  systemPrompt: 'system-prompt',
  presetSystemPromptId: 'preset-system-prompt-id',
  temperature: 'temperature',
  maxOutputTokens: 'max-output-tokens',
} as const;

/** Reads the chat block's settings (ours, or the preset and model of HASH's ai-chat-block/v/1). */
export function readChatSettings(entity: Entity | undefined, ids: TypeIds = typeIds()): ChatSettings {
  if (!entity) return {};
  const { properties } = readProperties('ai-chat-block', entity.properties, ids.baseUrl);
  const settings: Record<string, unknown> = {};
  for (const [field, slug] of Object.entries(fields)) {
    const value = properties[ids.property[slug]];
    if (value !== undefined) settings[field] = value;
  }
  const raw = entity.properties as Record<string, unknown>;
  const legacyPreset = raw[LEGACY_HASH.property.presetSystemPromptId];
  const legacyModel = raw[LEGACY_HASH.property.openaiChatModelName];
  if (settings['presetSystemPromptId'] === undefined && typeof legacyPreset === 'string')
    settings['presetSystemPromptId'] = legacyPreset;
  if (settings['modelId'] === undefined && typeof legacyModel === 'string') settings['modelId'] = legacyModel;
  return settings;
}

/** Whether two settings would store the same properties. */
export function sameChatSettings(a: ChatSettings, b: ChatSettings): boolean {
  return (Object.keys(fields) as (keyof ChatSettings)[]).every((field) => a[field] === b[field]);
}

/**
 * Stores the settings with one updateEntity, merged over the entity's other properties
 * (updateEntity overwrites). HASH's legacy entity keeps its type and gets only what it knows.
 */
export async function saveChatSettings(
  client: GraphClient,
  entity: Entity,
  settings: ChatSettings,
  ids: TypeIds = typeIds(),
): Promise<Entity> {
  const properties: Record<string, unknown> = { ...(entity.properties as Record<string, unknown>) };
  if (entity.metadata.entityTypeId === LEGACY_HASH.entityType.aiChatBlock) {
    if (settings.presetSystemPromptId !== undefined)
      properties[LEGACY_HASH.property.presetSystemPromptId] = settings.presetSystemPromptId;
    if (settings.modelId !== undefined) properties[LEGACY_HASH.property.openaiChatModelName] = settings.modelId;
  } else {
    for (const [field, slug] of Object.entries(fields)) {
      const value = settings[field as keyof ChatSettings];
      if (value === undefined) Reflect.deleteProperty(properties, ids.property[slug]);
      else properties[ids.property[slug]] = value;
    }
  }
  return client.updateEntity({
    entityId: entity.metadata.recordId.entityId,
    entityTypeId: entity.metadata.entityTypeId,
    properties: properties as Entity['properties'],
  });
}
