import { describe, expect, it } from 'vitest';
import { EntityStore } from '../../../packages/host/src/store/entity-store.js';

const TYPE = 'https://example.test/entity-type/note/v/1';
const LINK = 'https://example.test/entity-type/refers-to/v/1';
const TITLE = 'https://example.test/property-type/title/';

describe('host entity store', () => {
  it('overwrites properties on update instead of merging', async () => {
    const store = new EntityStore();
    const entity = await store.create({
      entityTypeId: TYPE,
      properties: { [TITLE]: 'a', 'https://example.test/property-type/other/': 1 },
    });
    await store.update({
      entityId: entity.metadata.recordId.entityId,
      entityTypeId: TYPE,
      properties: { [TITLE]: 'b' },
    });
    expect(store.get(entity.metadata.recordId.entityId)?.properties).toEqual({ [TITLE]: 'b' });
  });

  it('filters and sorts queries with the Block Protocol operators', async () => {
    const store = new EntityStore();
    for (const title of ['beta', 'alpha', 'gamma'])
      await store.create({ entityTypeId: TYPE, properties: { [TITLE]: title } });
    const titles = (filters: Parameters<EntityStore['query']>[0], desc = false) =>
      store.query(filters, [{ field: ['properties', TITLE], desc }]).map((entity) => entity.properties[TITLE]);
    expect(titles({ operator: 'AND', filters: [] })).toEqual(['alpha', 'beta', 'gamma']);
    expect(titles({ operator: 'AND', filters: [] }, true)).toEqual(['gamma', 'beta', 'alpha']);
    expect(
      titles({
        operator: 'OR',
        filters: [
          { field: ['properties', TITLE], operator: 'STARTS_WITH', value: 'g' },
          { field: ['properties', TITLE], operator: 'EQUALS', value: 'alpha' },
        ],
      }),
    ).toEqual(['alpha', 'gamma']);
    expect(
      titles({
        operator: 'AND',
        filters: [{ field: ['properties', TITLE], operator: 'CONTAINS_SEGMENT', value: 'et' }],
      }),
    ).toEqual(['beta']);
    expect(
      titles({
        operator: 'AND',
        filters: [
          { field: ['properties', 'https://example.test/missing/'], operator: 'IS_NOT_DEFINED' },
          { field: ['properties', TITLE], operator: 'DOES_NOT_EQUAL', value: 'beta' },
        ],
      }),
    ).toEqual(['alpha', 'gamma']);
  });

  it('follows links into subgraphs and deletes links with their ends', async () => {
    const store = new EntityStore();
    const a = await store.create({ entityTypeId: TYPE, properties: {} });
    const b = await store.create({ entityTypeId: TYPE, properties: {} });
    const c = await store.create({ entityTypeId: TYPE, properties: {} });
    const id = (entity: { metadata: { recordId: { entityId: string } } }) => entity.metadata.recordId.entityId;
    await store.create({ entityTypeId: LINK, properties: {}, linkData: { leftEntityId: id(a), rightEntityId: id(b) } });
    await store.create({ entityTypeId: LINK, properties: {}, linkData: { leftEntityId: id(b), rightEntityId: id(c) } });
    await expect(
      store.create({ entityTypeId: LINK, properties: {}, linkData: { leftEntityId: id(a), rightEntityId: 'nope' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const subgraph = store.subgraph([id(a)]);
    expect(Object.keys(subgraph.vertices)).toHaveLength(5);
    const temporal = store.subgraph([id(a)], undefined, { temporal: true }) as unknown as { temporalAxes?: unknown };
    expect(temporal.temporalAxes).toBeDefined();
    await store.delete(id(b));
    expect(store.size).toBe(2);
  });
});
