import { TypeSystemInitializer, validateEntityType, validatePropertyType } from '@blockprotocol/type-system';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCK_METADATA,
  BP,
  ENTITY_TYPE_DEFINITIONS,
  allTypeSchemas,
  baseUrlOf,
  entityPropertiesSchema,
  entityTypeSchemas,
  propertyTypeSchemas,
  typeIds,
  type EntitySlug,
  type EntityTypeSchema,
} from '../src/index.js';

const VERSIONED_URL = /^https?:\/\/.+\/v\/\d+$/;
const BASE_URL = /^https?:\/\/.+\/$/;
const slugs = Object.keys(ENTITY_TYPE_DEFINITIONS) as EntitySlug[];

/** JSON Schema for a data type, as the Block Protocol defines the core ones. */
const dataTypeSchemas: Record<string, object> = {
  [BP.dataType.text]: { type: 'string' },
  [BP.dataType.number]: { type: 'number' },
  [BP.dataType.boolean]: { type: 'boolean' },
};

/**
 * Resolves a Block Protocol entity type into a plain JSON Schema for its properties by
 * following its `$ref`s through the generated property type schemas — independent of the
 * zod mirror, so the two can be compared.
 */
function resolvedPropertiesSchema(entityType: EntityTypeSchema, baseUrl: string): object {
  const propertyTypes = new Map(propertyTypeSchemas(baseUrl).map((schema) => [schema.$id, schema]));
  const properties: Record<string, object> = {};
  for (const [key, { $ref }] of Object.entries(entityType.properties)) {
    const ownType = propertyTypes.get($ref);
    // Reused core property types: textual-content and the file properties are Text here.
    const dataTypeRef = ownType ? ownType.oneOf[0]?.$ref : BP.dataType.text;
    const resolved = dataTypeRef ? dataTypeSchemas[dataTypeRef] : undefined;
    if (!resolved) throw new Error(`cannot resolve ${$ref}`);
    properties[key] = resolved;
  }
  return { type: 'object', properties, required: entityType.required };
}

describe('Block Protocol type schemas', () => {
  beforeAll(async () => {
    await TypeSystemInitializer.initialize();
  });

  it('passes the Block Protocol type-system validators', () => {
    for (const schema of propertyTypeSchemas()) {
      expect(validatePropertyType(schema as never), schema.$id).toEqual({ type: 'Ok', inner: null });
    }
    for (const schema of entityTypeSchemas()) {
      expect(validateEntityType(schema as never), schema.$id).toEqual({ type: 'Ok', inner: null });
    }
  });

  it('follows the 0.3 rules: kind, versioned $id, properties keyed by base URL, links', () => {
    const ids = new Set(allTypeSchemas().map((schema) => schema.$id));
    expect(ids.size).toBe(allTypeSchemas().length);
    for (const schema of allTypeSchemas()) {
      expect(schema.$id).toMatch(VERSIONED_URL);
      expect(['propertyType', 'entityType']).toContain(schema.kind);
      if (schema.kind !== 'entityType') continue;
      for (const [key, value] of Object.entries(schema.properties)) {
        expect(key).toMatch(BASE_URL);
        expect(baseUrlOf(value.$ref)).toBe(key);
      }
      for (const key of schema.required) expect(Object.keys(schema.properties)).toContain(key);
      for (const [linkId, link] of Object.entries(schema.links ?? {})) {
        expect(linkId).toMatch(VERSIONED_URL);
        const linkSchema = entityTypeSchemas().find((candidate) => candidate.$id === linkId);
        expect(linkSchema?.allOf, `${linkId} is a link entity type`).toEqual([{ $ref: BP.entityType.link }]);
        for (const target of link.items.oneOf) expect(target.$ref).toMatch(VERSIONED_URL);
      }
    }
  });

  it('derives every id from one configurable base URL', () => {
    const base = 'http://127.0.0.1:8787/types';
    for (const schema of allTypeSchemas(base)) {
      expect(schema.$id.startsWith('http://127.0.0.1:8787/types/')).toBe(true);
    }
    expect(typeIds(base).property.prompt).toBe('http://127.0.0.1:8787/types/property-type/prompt/');
  });

  it('has zod mirrors that accept exactly what the JSON schemas accept', () => {
    const ajv = new Ajv({ strict: false });
    const ids = typeIds();
    const samples: Record<string, unknown>[] = [
      {},
      { [ids.property.prompt]: 'hi' },
      { [ids.property.prompt]: 42 },
      { [ids.property.textualContent]: 'answer' },
      { [ids.property.textualContent]: ['token'] },
      { [ids.property.textualContent]: 'x', [ids.property['client-id']]: 'c1' },
      { [ids.property['output-tokens']]: 12, [ids.property['engine-id']]: 'wasm' },
      { [ids.property['output-tokens']]: '12' },
      { [ids.property.temperature]: null },
      { [ids.property['completion-status']]: 'stopped', 'https://example.test/foreign/': { any: 'thing' } },
      { [ids.property['image-count']]: 4, [ids.property['image-size']]: '512x512' },
      { [ids.property['image-count']]: true },
      { [ids.property['system-prompt']]: '', [ids.property['max-output-tokens']]: 256 },
    ];
    let accepted = 0;
    let rejected = 0;
    for (const schema of entityTypeSchemas()) {
      const slug = slugs.find((candidate) => typeIds().entityType[candidate] === schema.$id);
      if (!slug) throw new Error(`no slug for ${schema.$id}`);
      const validate = ajv.compile(resolvedPropertiesSchema(schema, ids.baseUrl));
      const mirror = entityPropertiesSchema(slug);
      for (const sample of samples) {
        const byJsonSchema = validate(sample);
        expect(mirror.safeParse(sample).success, `${slug} ${JSON.stringify(sample)}`).toBe(byJsonSchema);
        if (byJsonSchema) accepted += 1;
        else rejected += 1;
      }
    }
    // The samples exercise both sides of every mirror.
    expect(accepted).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });

  it('validates every example in the blocks’ metadata against the block entity type', () => {
    for (const [name, metadata] of Object.entries(BLOCK_METADATA)) {
      const slug = `${name}-block` as EntitySlug;
      expect(metadata.schema).toBe(typeIds().entityType[slug]);
      const examples = [...metadata.examples, ...metadata.variants.flatMap((variant) => variant.examples)];
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const result = entityPropertiesSchema(slug).safeParse(example);
        expect(result.success, `${name}: ${JSON.stringify(example)}`).toBe(true);
        for (const key of Object.keys(example)) {
          expect(
            Object.keys(entityTypeSchemas().find((schema) => schema.$id === metadata.schema)?.properties ?? {}),
          ).toContain(key);
        }
      }
    }
  });

  it('declares what a Block Protocol host needs to load each block', () => {
    for (const metadata of Object.values(BLOCK_METADATA)) {
      expect(metadata.protocol).toBe('0.3');
      expect(metadata.blockType.entryPoint).toBe('custom-element');
      expect(metadata.blockType.tagName).toMatch(/^[a-z][a-z0-9]*-[a-z0-9-]+$/);
      expect(metadata.name).toMatch(/^@ai-blocks\/ai-(text|image|chat)$/);
    }
  });
});
