import type { Entity } from '@blockprotocol/graph';
import { buildSubgraph, getOutgoingLinkAndTargetEntities } from '@blockprotocol/graph/stdlib';
import { describe, expect, it } from 'vitest';
import { buildEntitySubgraph } from '../../../packages/host/src/store/build-subgraph.js';
import { DEEP_LINK_DEPTHS } from '../../../packages/host/src/store/entity-store.js';

/** A deterministic pseudo-random graph: entities and links between them (some duplicated ends). */
function graph(size: number): Entity[] {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const entities: Entity[] = [];
  for (let index = 0; index < size; index += 1) {
    const entity: Entity = {
      metadata: {
        recordId: { entityId: `e${String(index)}`, editionId: new Date(1_700_000_000_000 + index).toISOString() },
        entityTypeId: 'https://example.test/types/entity-type/thing/v/1',
      },
      properties: { 'https://example.test/types/property-type/n/': index },
    };
    if (index > 2 && random() < 0.6) {
      const left = Math.floor(random() * index);
      const right = random() < 0.2 ? left : Math.floor(random() * index);
      entity.linkData = { leftEntityId: `e${String(left)}`, rightEntityId: `e${String(right)}` };
    }
    entities.push(entity);
  }
  return entities;
}

describe('the host’s subgraph builder', () => {
  it('builds exactly what @blockprotocol/graph’s buildSubgraph builds (vertices, edges, order, roots)', () => {
    const entities = graph(120);
    const roots = [entities[0]?.metadata.recordId, entities[5]?.metadata.recordId].filter((root) => root !== undefined);
    const ours = buildEntitySubgraph(entities, roots, DEEP_LINK_DEPTHS);
    const library = buildSubgraph(
      { entities, entityTypes: [], propertyTypes: [], dataTypes: [] },
      roots,
      DEEP_LINK_DEPTHS,
    );
    expect(ours).toEqual(library);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(library)); // the same order, too
    expect(getOutgoingLinkAndTargetEntities(ours, 'e1')).toEqual(getOutgoingLinkAndTargetEntities(library, 'e1'));
  });

  it('throws like the library for a root that is not in the data', () => {
    const entities = graph(5);
    expect(() => buildEntitySubgraph(entities, [{ entityId: 'nope', editionId: 'x' }], DEEP_LINK_DEPTHS)).toThrow(
      /not present/,
    );
  });
});
