import { TypeSystemInitializer, validateEntityType, validatePropertyType } from '@blockprotocol/type-system';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBlocks, writeBlockMetadata } from '../../scripts/build-blocks.mjs';
import { buildTypes } from '../../scripts/build-types.mjs';
import { startDistServer } from '../../scripts/serve-dist.mjs';

/**
 * Block Protocol core types that blockprotocol.org still serves (its hard-coded set; user type
 * hosting is paused), so a `$ref` to one resolves for any host. This machine has no network, so
 * they are checked against the list rather than fetched.
 */
const SERVED_CORE_TYPES = new Set([
  ...['value', 'text', 'number', 'boolean', 'null', 'object', 'list', 'empty-list'].map(
    (slug) => `https://blockprotocol.org/@blockprotocol/types/data-type/${slug}/v/1`,
  ),
  'https://blockprotocol.org/@blockprotocol/types/entity-type/link/v/1',
  'https://blockprotocol.org/@blockprotocol/types/entity-type/thing/v/1',
  ...[
    'description',
    'display-name',
    'file-hash',
    'file-name',
    'file-size',
    'file-url',
    'mime-type',
    'name',
    'original-file-name',
    'original-source',
    'original-url',
  ].map((slug) => `https://blockprotocol.org/@blockprotocol/types/property-type/${slug}/v/1`),
  'https://blockprotocol.org/@blockprotocol/types/property-type/textual-content/v/2',
]);

/**
 * Core types we still point at although blockprotocol.org no longer serves them. Each entry is a
 * known gap (a host must know the type itself, as HASH does); the test fails when one is no longer
 * referenced, so the list cannot go stale.
 */
const KNOWN_UNSERVED_CORE_TYPES = new Set([
  'https://blockprotocol.org/@blockprotocol/types/entity-type/remote-file/v/2',
]);

interface TypeSchema {
  $id: string;
  kind: 'entityType' | 'propertyType';
}

/** Every `$ref` anywhere in a schema. */
function refsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsOf(inner),
  );
}

describe('types a host can resolve (custom AI_BLOCKS_TYPES_BASE_URL, dist/ served over HTTP)', () => {
  let outDir = '';
  let server: Awaited<ReturnType<typeof startDistServer>> | undefined;
  let typesBase = '';

  beforeAll(async () => {
    await TypeSystemInitializer.initialize();
    outDir = await mkdtemp(join(tmpdir(), 'ai-blocks-types-'));
    // Published below a path, as a CDN or static host would: the base URL names where dist/types/ ends up.
    server = await startDistServer({ distDir: outDir, prefix: '/published/ai-blocks/' });
    typesBase = `${server.url}types/`;
    // What the build writes for hosts to resolve (the main files are not needed here).
    for (const block of await listBlocks()) await writeBlockMetadata(block, { outDir, typesBaseUrl: typesBase });
    await buildTypes({ outDir, baseUrl: typesBase });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it.each(['ai-text', 'ai-image', 'ai-chat'])(
    '%s: schema and every $ref resolve over HTTP and pass the type-system validators',
    async (block) => {
      const metadataResponse = await fetch(`${server?.url ?? ''}blocks/${block}/block-metadata.json`);
      expect(metadataResponse.headers.get('access-control-allow-origin')).toBe('*');
      const metadata = (await metadataResponse.json()) as { schema: string; examples: Record<string, unknown>[] };
      expect(metadata.schema.startsWith(typesBase), metadata.schema).toBe(true);
      for (const example of metadata.examples) {
        for (const key of Object.keys(example)) {
          expect(key.startsWith(typesBase) || key.startsWith('https://blockprotocol.org/@blockprotocol/'), key).toBe(
            true,
          );
        }
      }

      const seen = new Set<string>();
      const outside = new Set<string>();
      const queue = [metadata.schema];
      while (queue.length) {
        const id = queue.shift() as string;
        if (seen.has(id)) continue;
        seen.add(id);
        if (!id.startsWith(typesBase)) {
          outside.add(id);
          continue;
        }
        const response = await fetch(id);
        expect(response.status, id).toBe(200);
        expect(response.headers.get('content-type'), id).toContain('application/json');
        expect(response.headers.get('access-control-allow-origin'), id).toBe('*');
        const schema = (await response.json()) as TypeSchema;
        expect(schema.$id).toBe(id);
        const result =
          schema.kind === 'entityType' ? validateEntityType(schema as never) : validatePropertyType(schema as never);
        expect(result, id).toEqual({ type: 'Ok', inner: null });
        queue.push(...refsOf(schema));
      }
      // Own types were fetched (the block type plus at least its property types).
      expect([...seen].filter((id) => id.startsWith(typesBase)).length).toBeGreaterThan(3);
      const unresolvable = [...outside].filter(
        (id) => !SERVED_CORE_TYPES.has(id) && !KNOWN_UNSERVED_CORE_TYPES.has(id),
      );
      expect(unresolvable, 'refs outside the base that nobody serves').toEqual([]);
    },
  );

  it('references every known unserved core type it lists (so the list cannot go stale)', async () => {
    const referenced = new Set<string>();
    const { allTypeSchemas } = await import('@ai-blocks/block-metadata');
    for (const schema of allTypeSchemas(typesBase)) for (const ref of refsOf(schema)) referenced.add(ref);
    for (const id of KNOWN_UNSERVED_CORE_TYPES) expect(referenced.has(id), id).toBe(true);
  });

  it('answers 404 for a type that does not exist', async () => {
    expect((await fetch(`${typesBase}entity-type/no-such-type/v/1`)).status).toBe(404);
  });
});
