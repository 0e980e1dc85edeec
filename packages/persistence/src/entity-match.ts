import type { Entity, EntityRootType, Subgraph } from '@blockprotocol/graph';

/** The only filter this package sends: a field path equal to a string. */
export interface EqualsFilter {
  field: string[];
  operator: 'EQUALS';
  value: string;
}

function valueAt(entity: Entity, path: readonly string[]): unknown {
  let value: unknown = entity;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * Whether an entity really matches every filter. Hosts differ in how much of queryEntities
 * they implement (some ignore filters, some honour only part of them), so a result counts
 * only after this check.
 */
export function matchesFilters(entity: Entity, filters: readonly EqualsFilter[]): boolean {
  return filters.every((filter) => valueAt(entity, filter.field) === filter.value);
}

/**
 * Every entity in a subgraph (roots and what was resolved around them), newest revision
 * each, whether the subgraph is non-temporal or HASH-style temporal.
 */
export function subgraphEntities(subgraph: Subgraph<EntityRootType> | undefined): Entity[] {
  const vertices = (subgraph as { vertices?: unknown } | undefined)?.vertices;
  if (typeof vertices !== 'object' || vertices === null) return [];
  const entities: Entity[] = [];
  // A host's answer is foreign data: each level is checked, not assumed.
  for (const revisions of Object.values(vertices as Record<string, unknown>)) {
    if (typeof revisions !== 'object' || revisions === null) continue;
    const byTime = revisions as Record<string, { kind?: unknown; inner?: unknown } | undefined>;
    const newest = Object.keys(byTime).sort().at(-1);
    const vertex = newest === undefined ? undefined : byTime[newest];
    if (vertex?.kind === 'entity' && typeof vertex.inner === 'object' && vertex.inner !== null)
      entities.push(vertex.inner as Entity);
  }
  return entities;
}
