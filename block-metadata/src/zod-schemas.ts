import * as z from 'zod/mini';
import {
  ENTITY_TYPE_DEFINITIONS,
  PROPERTY_DEFINITIONS,
  type EntitySlug,
  type EntityTypeDefinition,
  type PrimitiveType,
} from './definitions.js';
import { propertyKey, typeIds } from './type-ids.js';
import { DEFAULT_TYPES_BASE_URL } from './urls.js';

const primitive: Record<PrimitiveType, () => z.ZodMiniType> = {
  text: () => z.string(),
  number: () => z.number(),
  boolean: () => z.boolean(),
};

// Textual content (core textual-content/v/2) is stored by this project as Text.
const CORE_DATA_TYPE = {
  textualContent: 'text',
  description: 'text',
  fileUrl: 'text',
  fileName: 'text',
  mimeType: 'text',
} as const;

/**
 * The zod mirror of an entity type's properties: keys are property base URLs, values the
 * data type of each property, required where the type requires it. Unknown keys are allowed
 * (as the JSON schema allows them), so a foreign property never makes an entity unreadable.
 */
export function entityPropertiesSchema(
  slug: EntitySlug,
  baseUrl: string = DEFAULT_TYPES_BASE_URL,
): z.ZodMiniType<Record<string, unknown>> {
  const ids = typeIds(baseUrl);
  const definition = ENTITY_TYPE_DEFINITIONS[slug] as EntityTypeDefinition;
  const shape: Record<string, z.ZodMiniType> = {};
  for (const reference of definition.properties) {
    const dataType = 'own' in reference ? PROPERTY_DEFINITIONS[reference.own].dataType : CORE_DATA_TYPE[reference.core];
    const value = primitive[dataType]();
    shape[propertyKey(ids, reference)] = reference.required ? value : z.optional(value);
  }
  return z.looseObject(shape);
}

/** The zod mirrors of every entity type of ours, for one base URL. */
export function entityPropertiesSchemas(
  baseUrl: string = DEFAULT_TYPES_BASE_URL,
): Record<EntitySlug, z.ZodMiniType<Record<string, unknown>>> {
  return Object.fromEntries(
    Object.keys(ENTITY_TYPE_DEFINITIONS).map((slug) => [slug, entityPropertiesSchema(slug as EntitySlug, baseUrl)]),
  ) as Record<EntitySlug, z.ZodMiniType<Record<string, unknown>>>;
}
