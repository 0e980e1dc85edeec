import type { Entity } from '@blockprotocol/graph';
import { matchesFilters, subgraphEntities, type EqualsFilter } from './entity-match.js';
import type { GraphClient } from './graph-client.js';
import { isGraphError } from './graph-error.js';
import type { WriteLedger } from './write-ledger.js';

/** How far from the scope entity a lookup without queryEntities searches (a chat's messages and their links). */
const SCOPE_DEPTH = 3;

export interface FindContext {
  /** Remembers that the host has no queryEntities, so later lookups skip it. */
  ledger?: WriteLedger;
  /** Where to look when queryEntities is not implemented: entities linked around this one (the block entity). */
  scopeId?: string;
}

/**
 * The first entity that really matches every filter, or undefined. Results of queryEntities
 * are checked, since a host may ignore some or all filters; a host that answers
 * NOT_IMPLEMENTED is searched through getEntity around `scopeId` instead.
 */
export async function findEntity(
  client: GraphClient,
  filters: EqualsFilter[],
  context: FindContext = {},
): Promise<Entity | undefined> {
  if (!context.ledger?.queriesUnsupported) {
    try {
      const results = await client.queryEntities({ operator: 'AND', filters });
      return subgraphEntities(results).find((entity) => matchesFilters(entity, filters));
    } catch (error) {
      if (!isGraphError(error) || error.code !== 'NOT_IMPLEMENTED') throw error;
      if (context.ledger) context.ledger.queriesUnsupported = true;
    }
  }
  if (context.scopeId === undefined) return undefined;
  try {
    const around = await client.getEntity(context.scopeId, SCOPE_DEPTH);
    return subgraphEntities(around).find((entity) => matchesFilters(entity, filters));
  } catch (error) {
    // A host with neither message: only what the ledger remembers can be known.
    if (isGraphError(error) && error.code === 'NOT_IMPLEMENTED') return undefined;
    throw error;
  }
}
