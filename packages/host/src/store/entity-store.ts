import type {
  Entity,
  EntityPropertiesObject,
  EntityRootType,
  GraphResolveDepths,
  LinkData,
  MultiFilter,
  MultiSort,
  Subgraph,
} from '@blockprotocol/graph';
import { buildSubgraph as buildTemporalSubgraph } from '@blockprotocol/graph/temporal/stdlib';
import { buildEntitySubgraph } from './build-subgraph.js';
import { queryEntities } from './query.js';

/** What the store keeps per entity (non-temporal shape plus when it was written). */
export interface StoredEntity {
  entity: Entity;
  createdAt: string;
  updatedAt: string;
}

/** Where the store's records survive a reload (IndexedDB in the page, nothing in tests). */
export interface StorePersistence {
  load(): Promise<{ entities: StoredEntity[]; files: { entityId: string; blob: Blob }[] }>;
  putEntity(record: StoredEntity): Promise<void>;
  deleteEntity(entityId: string): Promise<void>;
  putFile(entityId: string, blob: Blob): Promise<void>;
  clear(): Promise<void>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_INPUT',
    message: string,
  ) {
    super(message);
  }
}

/** Depths that follow links far enough for long chat trees. */
export const DEEP_LINK_DEPTHS: GraphResolveDepths = depths(255);

/** Graph resolve depths following links `n` steps both ways, no ontology. */
export function depths(n: number): GraphResolveDepths {
  return {
    hasLeftEntity: { incoming: n, outgoing: n },
    hasRightEntity: { incoming: n, outgoing: n },
    constrainsLinkDestinationsOn: { outgoing: 0 },
    constrainsLinksOn: { outgoing: 0 },
    constrainsPropertiesOn: { outgoing: 0 },
    constrainsValuesOn: { outgoing: 0 },
    inheritsFrom: { outgoing: 0 },
    isOfType: { outgoing: 0 },
  };
}

/**
 * The host's entity store with Block Protocol 0.3 semantics: create (links through
 * `linkData`), update by overwrite, delete, get and query, and subgraphs in the non-temporal
 * shape or HASH's temporal one. Pure logic; persistence is injected.
 */
export class EntityStore {
  private readonly records = new Map<string, StoredEntity>();
  private readonly files = new Map<string, Blob>();
  private counter = 0;

  constructor(
    private readonly persistence?: StorePersistence,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Loads what the persistence kept (after a reload). */
  async load(): Promise<void> {
    if (!this.persistence) return;
    const { entities, files } = await this.persistence.load();
    for (const record of entities) this.records.set(record.entity.metadata.recordId.entityId, record);
    for (const { entityId, blob } of files) this.files.set(entityId, blob);
  }

  get size(): number {
    return this.records.size;
  }

  all(): StoredEntity[] {
    return [...this.records.values()];
  }

  get(entityId: string): Entity | undefined {
    return this.records.get(entityId)?.entity;
  }

  file(entityId: string): Blob | undefined {
    return this.files.get(entityId);
  }

  /** Creates an entity with a fresh id; a link entity names both ends in `linkData`. */
  async create(data: {
    entityTypeId: string;
    properties: EntityPropertiesObject;
    linkData?: LinkData;
    entityId?: string;
  }): Promise<Entity> {
    if (data.linkData) {
      for (const end of [data.linkData.leftEntityId, data.linkData.rightEntityId]) {
        if (!this.records.has(end)) throw new StoreError('INVALID_INPUT', `link end ${end} does not exist`);
      }
    }
    const entityId = data.entityId ?? this.newId();
    if (this.records.has(entityId)) throw new StoreError('INVALID_INPUT', `entity ${entityId} exists`);
    const timestamp = this.now().toISOString();
    const entity: Entity = {
      metadata: {
        recordId: { entityId, editionId: timestamp },
        entityTypeId: data.entityTypeId as Entity['metadata']['entityTypeId'],
      },
      properties: structuredClone(data.properties),
    };
    if (data.linkData) entity.linkData = { ...data.linkData };
    const record = { entity, createdAt: timestamp, updatedAt: timestamp };
    this.records.set(entityId, record);
    await this.persistence?.putEntity(record);
    return structuredClone(entity);
  }

  /** Replaces an entity's properties (Block Protocol updates overwrite; they do not merge). */
  async update(data: {
    entityId: string;
    entityTypeId: string;
    properties: EntityPropertiesObject;
    leftToRightOrder?: number;
    rightToLeftOrder?: number;
  }): Promise<Entity> {
    const record = this.records.get(data.entityId);
    if (!record) throw new StoreError('NOT_FOUND', `entity ${data.entityId} not found`);
    const timestamp = this.laterThan(record.updatedAt);
    const entity: Entity = {
      metadata: {
        recordId: { entityId: data.entityId, editionId: timestamp },
        entityTypeId: data.entityTypeId as Entity['metadata']['entityTypeId'],
      },
      properties: structuredClone(data.properties),
    };
    if (record.entity.linkData) {
      entity.linkData = { ...record.entity.linkData };
      if (data.leftToRightOrder !== undefined) entity.linkData.leftToRightOrder = data.leftToRightOrder;
      if (data.rightToLeftOrder !== undefined) entity.linkData.rightToLeftOrder = data.rightToLeftOrder;
    }
    const updated = { entity, createdAt: record.createdAt, updatedAt: timestamp };
    this.records.set(data.entityId, updated);
    await this.persistence?.putEntity(updated);
    return structuredClone(entity);
  }

  /** Deletes an entity and the links that touch it. */
  async delete(entityId: string): Promise<void> {
    if (!this.records.has(entityId)) throw new StoreError('NOT_FOUND', `entity ${entityId} not found`);
    const doomed = [
      entityId,
      ...this.all()
        .filter(
          ({ entity }) => entity.linkData?.leftEntityId === entityId || entity.linkData?.rightEntityId === entityId,
        )
        .map(({ entity }) => entity.metadata.recordId.entityId),
    ];
    for (const id of doomed) {
      this.records.delete(id);
      this.files.delete(id);
      await this.persistence?.deleteEntity(id);
    }
  }

  /** Stores a file's bytes under its file entity. */
  async putFile(entityId: string, blob: Blob): Promise<void> {
    this.files.set(entityId, blob);
    await this.persistence?.putFile(entityId, blob);
  }

  query(multiFilter?: MultiFilter | null, multiSort?: MultiSort | null): Entity[] {
    return queryEntities(
      this.all().map(({ entity }) => entity),
      multiFilter,
      multiSort,
    );
  }

  /** A subgraph rooted at `rootIds`, with entities reachable through links within `resolveDepths`. */
  subgraph(
    rootIds: string[],
    resolveDepths: GraphResolveDepths = DEEP_LINK_DEPTHS,
    options: { temporal?: boolean } = {},
  ): Subgraph<EntityRootType> {
    const included = this.reachable(rootIds, resolveDepths);
    const entities = [...included]
      .map((id) => this.records.get(id))
      .filter((record): record is StoredEntity => record !== undefined);
    const roots = rootIds
      .map((id) => this.records.get(id)?.entity.metadata.recordId)
      .filter((recordId) => recordId !== undefined);
    if (!options.temporal) {
      return buildEntitySubgraph(
        entities.map(({ entity }) => entity),
        roots,
        resolveDepths,
      );
    }
    const now = this.now().toISOString();
    const temporalEntities = entities.map(({ entity, updatedAt }) => ({
      ...entity,
      metadata: {
        ...entity.metadata,
        temporalVersioning: {
          transactionTime: {
            start: { kind: 'inclusive' as const, limit: updatedAt },
            end: { kind: 'unbounded' as const },
          },
          decisionTime: {
            start: { kind: 'inclusive' as const, limit: updatedAt },
            end: { kind: 'unbounded' as const },
          },
        },
      },
    }));
    const axes = {
      initial: {
        pinned: { axis: 'transactionTime' as const, timestamp: null },
        variable: { axis: 'decisionTime' as const, interval: { start: null, end: null } },
      },
      resolved: {
        pinned: { axis: 'transactionTime' as const, timestamp: now },
        variable: {
          axis: 'decisionTime' as const,
          interval: { start: { kind: 'unbounded' as const }, end: { kind: 'inclusive' as const, limit: now } },
        },
      },
    };
    const temporalRoots = roots.map((recordId) => {
      const record = this.records.get(recordId.entityId);
      return { entityId: recordId.entityId, editionId: record?.updatedAt ?? recordId.editionId };
    });
    return buildTemporalSubgraph(
      { entities: temporalEntities, entityTypes: [], propertyTypes: [], dataTypes: [] },
      temporalRoots,
      resolveDepths,
      axes,
    ) as unknown as Subgraph<EntityRootType>;
  }

  /** Forgets everything (the host's "reset store"). */
  async clear(): Promise<void> {
    this.records.clear();
    this.files.clear();
    await this.persistence?.clear();
  }

  private reachable(rootIds: string[], resolveDepths: GraphResolveDepths): Set<string> {
    const limit = Math.max(
      resolveDepths.hasLeftEntity.incoming,
      resolveDepths.hasLeftEntity.outgoing,
      resolveDepths.hasRightEntity.incoming,
      resolveDepths.hasRightEntity.outgoing,
    );
    const included = new Set(rootIds.filter((id) => this.records.has(id)));
    let frontier = [...included];
    const links = this.all()
      .filter(({ entity }) => entity.linkData)
      .map(({ entity }) => entity);
    for (let step = 0; step < limit && frontier.length > 0; step += 1) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const link of links) {
          const linkId = link.metadata.recordId.entityId;
          const { leftEntityId, rightEntityId } = link.linkData ?? { leftEntityId: '', rightEntityId: '' };
          // Outgoing: the entity's links and what they point to; incoming: links pointing at it.
          if (leftEntityId === id || rightEntityId === id) {
            for (const candidate of [linkId, leftEntityId === id ? rightEntityId : leftEntityId]) {
              if (!included.has(candidate) && this.records.has(candidate)) {
                included.add(candidate);
                next.push(candidate);
              }
            }
          }
        }
      }
      frontier = next;
    }
    return included;
  }

  private newId(): string {
    this.counter += 1;
    const random =
      typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${this.counter}`;
    return random;
  }

  /** Edition ids are timestamps; two writes in one millisecond still get distinct editions. */
  private laterThan(previous: string): string {
    const now = this.now();
    const previousTime = Date.parse(previous);
    return (now.getTime() > previousTime ? now : new Date(previousTime + 1)).toISOString();
  }
}
