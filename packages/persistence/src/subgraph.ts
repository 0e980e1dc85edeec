import type { Entity, EntityRootType, Subgraph } from '@blockprotocol/graph';
import { getOutgoingLinkAndTargetEntities, getRoots } from '@blockprotocol/graph/stdlib';

/** A link and the entity it points to. */
export interface OutgoingLink {
  link: Entity;
  target: Entity;
}

/**
 * The newest revision of an entity, whether the subgraph is non-temporal (one entity per
 * vertex) or HASH-style temporal (arrays of revisions).
 */
function latest(value: Entity | Entity[] | undefined): Entity | undefined {
  if (Array.isArray(value)) return value[value.length - 1];
  return value;
}

/** The root entity of a block's subgraph, if there is one. */
export function rootEntity(subgraph: Subgraph<EntityRootType> | undefined): Entity | undefined {
  if (!subgraph) return undefined;
  try {
    return latest(getRoots(subgraph)[0]);
  } catch {
    // A malformed subgraph reads as an empty block, never a crash.
    return undefined;
  }
}

/** Outgoing links of an entity with their targets; works on temporal subgraphs too. */
export function outgoingLinks(subgraph: Subgraph<EntityRootType>, entityId: string): OutgoingLink[] {
  let pairs: ReturnType<typeof getOutgoingLinkAndTargetEntities>;
  try {
    pairs = getOutgoingLinkAndTargetEntities(subgraph, entityId);
  } catch {
    return [];
  }
  const links: OutgoingLink[] = [];
  for (const pair of pairs) {
    const link = latest(pair.linkEntity);
    const target = latest(pair.rightEntity);
    if (link && target) links.push({ link, target });
  }
  return links;
}

/** Orders links by their `leftToRightOrder`, keeping subgraph order for ties. */
export function byLinkOrder(links: OutgoingLink[]): OutgoingLink[] {
  return links
    .map((link, index) => ({ link, index }))
    .sort(
      (a, b) =>
        (a.link.link.linkData?.leftToRightOrder ?? a.index) - (b.link.link.linkData?.leftToRightOrder ?? b.index) ||
        a.index - b.index,
    )
    .map(({ link }) => link);
}
