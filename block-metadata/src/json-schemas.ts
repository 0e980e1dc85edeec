import {
  ENTITY_TYPE_DEFINITIONS,
  PROPERTY_DEFINITIONS,
  type EntitySlug,
  type EntityTypeDefinition,
} from './definitions.js';
import { ENTITY_TYPE_TEXTS, PROPERTY_TEXTS } from './definition-texts.js';
import { propertyKey, propertyTypeId, typeIds, type TypeIds } from './type-ids.js';
import { BP, DEFAULT_TYPES_BASE_URL } from './urls.js';

const PROPERTY_TYPE_META_SCHEMA = 'https://blockprotocol.org/types/modules/graph/0.3/schema/property-type';
const ENTITY_TYPE_META_SCHEMA = 'https://blockprotocol.org/types/modules/graph/0.3/schema/entity-type';

export interface PropertyTypeSchema {
  $schema: string;
  kind: 'propertyType';
  $id: string;
  title: string;
  description: string;
  oneOf: { $ref: string }[];
}

export interface EntityTypeSchema {
  $schema: string;
  kind: 'entityType';
  $id: string;
  type: 'object';
  title: string;
  description: string;
  allOf?: { $ref: string }[];
  properties: Record<string, { $ref: string }>;
  required: string[];
  links?: Record<string, { type: 'array'; ordered: boolean; items: { oneOf: { $ref: string }[] } }>;
}

/** The Block Protocol 0.3 property type schemas of our own property types. */
export function propertyTypeSchemas(baseUrl: string = DEFAULT_TYPES_BASE_URL): PropertyTypeSchema[] {
  const ids = typeIds(baseUrl);
  return Object.entries(PROPERTY_DEFINITIONS).map(([slug, definition]) => ({
    $schema: PROPERTY_TYPE_META_SCHEMA,
    kind: 'propertyType',
    $id: ids.propertyType[slug as keyof typeof PROPERTY_DEFINITIONS],
    ...PROPERTY_TEXTS[slug as keyof typeof PROPERTY_DEFINITIONS],
    oneOf: [{ $ref: BP.dataType[definition.dataType] }],
  }));
}

function entityTypeSchema(ids: TypeIds, slug: EntitySlug, definition: EntityTypeDefinition): EntityTypeSchema {
  const properties: Record<string, { $ref: string }> = {};
  const required: string[] = [];
  for (const reference of definition.properties) {
    const key = propertyKey(ids, reference);
    properties[key] = { $ref: propertyTypeId(ids, reference) };
    if (reference.required) required.push(key);
  }
  const schema: EntityTypeSchema = {
    $schema: ENTITY_TYPE_META_SCHEMA,
    kind: 'entityType',
    $id: ids.entityType[slug],
    type: 'object',
    ...ENTITY_TYPE_TEXTS[slug],
    properties,
    required,
  };
  if (definition.isLink) schema.allOf = [{ $ref: BP.entityType.link }];
  if (definition.links?.length) {
    schema.links = Object.fromEntries(
      definition.links.map((link) => [
        ids.entityType[link.link],
        {
          type: 'array' as const,
          ordered: link.ordered ?? false,
          items: {
            oneOf: link.targets.map((target) => ({
              $ref: target.startsWith('https://') ? target : ids.entityType[target as EntitySlug],
            })),
          },
        },
      ]),
    );
  }
  return schema;
}

/** The Block Protocol 0.3 entity type schemas of our own entity and link types. */
export function entityTypeSchemas(baseUrl: string = DEFAULT_TYPES_BASE_URL): EntityTypeSchema[] {
  const ids = typeIds(baseUrl);
  return Object.entries(ENTITY_TYPE_DEFINITIONS).map(([slug, definition]) =>
    entityTypeSchema(ids, slug as EntitySlug, definition as EntityTypeDefinition),
  );
}

/** Every type schema of ours with its `$id`, e.g. for a host to serve them at their URLs. */
export function allTypeSchemas(baseUrl: string = DEFAULT_TYPES_BASE_URL): (PropertyTypeSchema | EntityTypeSchema)[] {
  return [...propertyTypeSchemas(baseUrl), ...entityTypeSchemas(baseUrl)];
}
