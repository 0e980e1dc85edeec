import { LEGACY_HASH, typeIds, type TypeIds } from '@ai-blocks/block-metadata';
import type { Entity, EntityRootType, Subgraph, VersionedUrl } from '@blockprotocol/graph';
import type { EqualsFilter } from './entity-match.js';
import { findEntity, type FindContext } from './find-entity.js';
import type { GraphClient } from './graph-client.js';
import { provenanceFromProperties, provenanceToProperties, type Provenance } from './provenance.js';
import { readProperties } from './read-properties.js';
import { byLinkOrder, outgoingLinks } from './subgraph.js';
import { WriteLedger } from './write-ledger.js';

/** One message of a conversation tree. */
export interface ChatMessageNode {
  entityId: string;
  role: 'user' | 'assistant';
  text: string;
  clientId?: string;
  provenance: Provenance;
  /** The message this one answers or follows (undefined for a root request). */
  parentId: string | undefined;
  /** Messages that follow this one; more than one means branches, in order. */
  childIds: string[];
}

/** A conversation as a tree: several roots or several children are sibling branches. */
export interface ChatTree {
  rootIds: string[];
  messages: Map<string, ChatMessageNode>;
  warnings: string[];
  /** Written by HASH's original AI Chat block. */
  legacy: boolean;
}

function linkKinds(ids: TypeIds) {
  const both = (ours: string, legacy: string) => new Set([ours, legacy]);
  return {
    rootedAt: both(ids.entityType['rooted-at'], LEGACY_HASH.entityType.rootedAt),
    hasResponse: both(ids.entityType['has-response'], LEGACY_HASH.entityType.hasResponse),
    followedBy: both(ids.entityType['followed-by'], LEGACY_HASH.entityType.followedBy),
  };
}

/**
 * Rebuilds the conversation tree from the block's subgraph: rooted-at → request,
 * has-response → response, followed-by → next request. Reads HASH's ai-chat-block/v/1
 * conversations as well as ours.
 */
export function readChatTree(
  subgraph: Subgraph<EntityRootType>,
  blockEntity: Entity | undefined,
  ids: TypeIds = typeIds(),
): ChatTree {
  const tree: ChatTree = {
    rootIds: [],
    messages: new Map(),
    warnings: [],
    legacy: blockEntity?.metadata.entityTypeId === LEGACY_HASH.entityType.aiChatBlock,
  };
  if (!blockEntity) return tree;
  const kinds = linkKinds(ids);
  const visit = (entity: Entity, role: 'user' | 'assistant', parentId: string | undefined): string | undefined => {
    const entityId = entity.metadata.recordId.entityId;
    if (tree.messages.has(entityId)) return undefined; // a cycle or a shared node: read once
    const slug = role === 'user' ? 'ai-chat-request-message' : 'ai-chat-response-message';
    const { properties, warnings } = readProperties(slug, entity.properties, ids.baseUrl);
    tree.warnings.push(...warnings);
    const node: ChatMessageNode = {
      entityId,
      role,
      text: properties[ids.property.textualContent] as string,
      provenance: provenanceFromProperties(ids, properties),
      parentId,
      childIds: [],
    };
    const clientId = properties[ids.property['client-id']];
    if (typeof clientId === 'string') node.clientId = clientId;
    tree.messages.set(entityId, node);
    const next = role === 'user' ? kinds.hasResponse : kinds.followedBy;
    for (const { link, target } of byLinkOrder(outgoingLinks(subgraph, entityId))) {
      if (!next.has(link.metadata.entityTypeId)) continue;
      const childId = visit(target, role === 'user' ? 'assistant' : 'user', entityId);
      if (childId) node.childIds.push(childId);
    }
    return entityId;
  };
  for (const { link, target } of byLinkOrder(outgoingLinks(subgraph, blockEntity.metadata.recordId.entityId))) {
    if (!kinds.rootedAt.has(link.metadata.entityTypeId)) continue;
    const rootId = visit(target, 'user', undefined);
    if (rootId) tree.rootIds.push(rootId);
  }
  return tree;
}

/** A message to write, with the id that makes retries safe. */
export interface NewMessage {
  clientId: string;
  text: string;
}

export interface ChatTurn {
  blockEntity: Entity;
  /** Where the request hangs: at the root, or after a response. Ignored when `existingRequestId` is set. */
  after: { kind: 'root' } | { kind: 'response'; responseId: string };
  /** A new request, or an existing one (regenerating its reply adds a sibling response). */
  request: NewMessage | { existingRequestId: string };
  response: NewMessage & { provenance: Provenance };
  /** What earlier attempts created (ChatTurnQueue passes its own, so retries duplicate nothing). */
  ledger?: WriteLedger;
}

export interface WrittenTurn {
  requestId: string;
  responseId: string;
}

/**
 * Writes one completed turn: the request (unless it exists), the response and their links.
 * Every step first looks for what an earlier attempt may already have written (messages by
 * client id, links by type and ends), so a retry after a write that did land creates no
 * duplicate message or link.
 */
export async function appendChatTurn(
  client: GraphClient,
  turn: ChatTurn,
  ids: TypeIds = typeIds(),
): Promise<WrittenTurn> {
  const blockId = turn.blockEntity.metadata.recordId.entityId;
  const context: LedgerContext = { ledger: turn.ledger ?? new WriteLedger(), scopeId: blockId };
  let requestId: string;
  if ('existingRequestId' in turn.request) {
    requestId = turn.request.existingRequestId;
  } else {
    requestId = await ensureMessage(client, ids, 'ai-chat-request-message', turn.request, {}, context);
    // Siblings (edits, regenerations) are ordered by when they were made: the link order says so,
    // since a host's subgraph need not keep creation order.
    if (turn.after.kind === 'root') {
      await ensureLink(client, ids.entityType['rooted-at'], blockId, requestId, {}, Date.now(), context);
    } else {
      await ensureLink(
        client,
        ids.entityType['followed-by'],
        turn.after.responseId,
        requestId,
        {},
        Date.now(),
        context,
      );
    }
    await ensureLink(client, ids.entityType['has-message'], blockId, requestId, {}, undefined, context);
  }
  const responseId = await ensureMessage(
    client,
    ids,
    'ai-chat-response-message',
    turn.response,
    provenanceToProperties(ids, turn.response.provenance),
    context,
  );
  await ensureLink(client, ids.entityType['has-response'], requestId, responseId, {}, Date.now(), context);
  await ensureLink(client, ids.entityType['has-message'], blockId, responseId, {}, undefined, context);
  return { requestId, responseId };
}

/** Where lookups go and what earlier attempts created. */
export type LedgerContext = FindContext & { ledger: WriteLedger };

async function ensureMessage(
  client: GraphClient,
  ids: TypeIds,
  slug: 'ai-chat-request-message' | 'ai-chat-response-message',
  message: NewMessage,
  extra: Record<string, string | number>,
  context: LedgerContext,
): Promise<string> {
  const entityTypeId = ids.entityType[slug] as VersionedUrl;
  return context.ledger.ensure(client, `message:${entityTypeId}:${message.clientId}`, {
    find: () =>
      findEntity(
        client,
        [
          { field: ['metadata', 'entityTypeId'], operator: 'EQUALS', value: entityTypeId },
          { field: ['properties', ids.property['client-id']], operator: 'EQUALS', value: message.clientId },
        ],
        context,
      ),
    create: () =>
      client.createEntity({
        entityTypeId,
        properties: {
          [ids.property.textualContent]: message.text,
          [ids.property['client-id']]: message.clientId,
          ...extra,
        },
      }),
  });
}

/**
 * Creates a link unless one of this type between these two entities exists; `order` sets its
 * left-to-right order. Without a context, lookups rely on queryEntities alone.
 */
export async function ensureLink(
  client: GraphClient,
  linkTypeId: string,
  leftEntityId: string,
  rightEntityId: string,
  properties: Record<string, unknown> = {},
  order?: number,
  context: LedgerContext = { ledger: new WriteLedger() },
): Promise<string> {
  return context.ledger.ensure(client, `link:${linkTypeId}:${leftEntityId}:${rightEntityId}`, {
    find: () =>
      findEntity(
        client,
        [
          { field: ['metadata', 'entityTypeId'], operator: 'EQUALS', value: linkTypeId },
          { field: ['linkData', 'leftEntityId'], operator: 'EQUALS', value: leftEntityId },
          { field: ['linkData', 'rightEntityId'], operator: 'EQUALS', value: rightEntityId },
        ],
        context,
      ),
    create: () =>
      client.createEntity({
        entityTypeId: linkTypeId as VersionedUrl,
        properties: properties as Entity['properties'],
        linkData: { leftEntityId, rightEntityId, ...(order !== undefined ? { leftToRightOrder: order } : {}) },
      }),
  });
}

/** The first entity that really matches every filter (queryEntities results are checked), or undefined. */
export function findOne(client: GraphClient, filters: EqualsFilter[]): Promise<Entity | undefined> {
  return findEntity(client, filters);
}
