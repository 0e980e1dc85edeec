import type { Entity, MultiFilter, MultiSort } from '@blockprotocol/graph';

type FilterEntry = MultiFilter['filters'][number];

/** The value at a field path of an entity, e.g. ['properties', url] or ['metadata', 'entityTypeId']. */
export function valueAtPath(entity: Entity, path: readonly (string | number)[]): unknown {
  let value: unknown = entity;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function matches(entity: Entity, filter: FilterEntry): boolean {
  const value = valueAtPath(entity, filter.field);
  switch (filter.operator) {
    case 'IS_DEFINED':
      return value !== undefined && value !== null;
    case 'IS_NOT_DEFINED':
      return value === undefined || value === null;
    case 'EQUALS':
      return JSON.stringify(value) === JSON.stringify(filter.value);
    case 'DOES_NOT_EQUAL':
      return JSON.stringify(value) !== JSON.stringify(filter.value);
    case 'STARTS_WITH':
      return typeof value === 'string' && typeof filter.value === 'string' && value.startsWith(filter.value);
    case 'ENDS_WITH':
      return typeof value === 'string' && typeof filter.value === 'string' && value.endsWith(filter.value);
    case 'CONTAINS_SEGMENT':
      return typeof value === 'string' && typeof filter.value === 'string' && value.includes(filter.value);
    case 'DOES_NOT_CONTAIN_SEGMENT':
      return !(typeof value === 'string' && typeof filter.value === 'string' && value.includes(filter.value));
  }
}

/** Applies a Block Protocol 0.3 multiFilter and multiSort to entities. */
export function queryEntities(
  entities: Iterable<Entity>,
  multiFilter?: MultiFilter | null,
  multiSort?: MultiSort | null,
): Entity[] {
  let results = [...entities];
  if (multiFilter && multiFilter.filters.length > 0) {
    results = results.filter((entity) =>
      multiFilter.operator === 'AND'
        ? multiFilter.filters.every((filter) => matches(entity, filter))
        : multiFilter.filters.some((filter) => matches(entity, filter)),
    );
  }
  for (const sort of [...(multiSort ?? [])].reverse()) {
    results.sort((a, b) => {
      const left = valueAtPath(a, sort.field);
      const right = valueAtPath(b, sort.field);
      const order = sortKey(left).localeCompare(sortKey(right), undefined, { numeric: true });
      return sort.desc ? -order : order;
    });
  }
  return results;
}

function sortKey(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
