import type {
  Entity,
  VersionedUrl,
  EntityPropertiesObject,
  EntityRootType,
  GraphBlockHandler,
  LinkData,
  MultiFilter,
  QueryEntitiesData,
  Subgraph,
} from '@blockprotocol/graph';
import { GraphError } from './graph-error.js';

/** The part of GraphBlockHandler this package uses (tests pass fakes of this shape). */
export type GraphModuleLike = Pick<
  GraphBlockHandler,
  'createEntity' | 'updateEntity' | 'deleteEntity' | 'getEntity' | 'queryEntities' | 'uploadFile'
>;

export interface GraphClientOptions {
  /** Milliseconds before an unanswered call fails with TIMEOUT (Block Protocol core has none). */
  timeoutMs?: number;
  /** When it returns true, every write fails with READONLY without reaching the embedder. */
  isReadonly?: () => boolean;
}

export interface UploadedFile {
  entity: Entity;
}

/**
 * Typed graph calls: each resolves to its value or throws a GraphError carrying the Block
 * Protocol code (or TIMEOUT). No caller looks at `{data, errors}`.
 */
export interface GraphClient {
  /** How long a call waits for an answer before failing with TIMEOUT. */
  readonly timeoutMs: number;
  createEntity(data: {
    entityTypeId: VersionedUrl;
    properties: EntityPropertiesObject;
    linkData?: LinkData;
  }): Promise<Entity>;
  updateEntity(data: {
    entityId: string;
    entityTypeId: VersionedUrl;
    properties: EntityPropertiesObject;
  }): Promise<Entity>;
  deleteEntity(entityId: string): Promise<void>;
  getEntity(entityId: string, depth?: number): Promise<Subgraph<EntityRootType>>;
  queryEntities(multiFilter: MultiFilter, depth?: number): Promise<Subgraph<EntityRootType>>;
  uploadFile(
    data: { file: File; name?: string; description?: string } | { url: string; name?: string; description?: string },
  ): Promise<Entity>;
}

export const DEFAULT_GRAPH_TIMEOUT_MS = 10_000;
const DETACH_POLL_MS = 200;

function isDestroyed(module: GraphModuleLike): boolean {
  return (module as { destroyed?: unknown }).destroyed === true;
}

/** Graph resolve depths that follow links `depth` steps in both directions. */
export function linkDepths(depth: number): NonNullable<QueryEntitiesData['graphResolveDepths']> {
  return {
    hasLeftEntity: { incoming: depth, outgoing: depth },
    hasRightEntity: { incoming: depth, outgoing: depth },
  };
}

/** Wraps a graph module so every call has a timeout and a typed error. */
export function createGraphClient(module: GraphModuleLike, options: GraphClientOptions = {}): GraphClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS;

  async function call<T>(
    method: string,
    request: () => Promise<{ data?: T; errors?: readonly { code?: unknown; message?: unknown }[] }>,
    write: boolean,
  ): Promise<T> {
    if (write && options.isReadonly?.()) {
      throw new GraphError('READONLY', `${method}: the block is read-only`);
    }
    const unwrap = (response: { data?: T; errors?: readonly { code?: unknown; message?: unknown }[] }): T => {
      if (response.errors?.length) throw GraphError.fromMessageErrors(method, response.errors);
      if (response.data === undefined)
        throw new GraphError('INTERNAL_ERROR', `${method}: the embedder answered without data`);
      return response.data;
    };
    // A synchronous throw (e.g. a destroyed module after the block was detached) becomes a rejection.
    const pending = new Promise<{ data?: T; errors?: readonly { code?: unknown; message?: unknown }[] }>((resolve) => {
      resolve(request());
    });
    // The request cannot be cancelled; whoever retries can still learn what a late answer says.
    const late = () => pending.then(unwrap).catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let watch: ReturnType<typeof setInterval> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new GraphError('TIMEOUT', `${method}: the embedder did not answer within ${timeoutMs} ms`, { late: late() }),
        );
      }, timeoutMs);
      // A block detached mid-call has its module destroyed: Block Protocol drops the answer, so
      // waiting out the timeout would only delay the retry.
      watch = setInterval(() => {
        if (isDestroyed(module))
          reject(
            new GraphError('INTERNAL_ERROR', `${method}: the block was detached before the embedder answered`, {
              late: late(),
            }),
          );
      }, DETACH_POLL_MS);
    });
    try {
      return unwrap(await Promise.race([pending, timeout]));
    } catch (error) {
      if (error instanceof GraphError) throw error;
      throw new GraphError('INTERNAL_ERROR', `${method}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      clearInterval(watch);
    }
  }

  return {
    timeoutMs,
    createEntity: (data) => call('createEntity', () => module.createEntity({ data }), true),
    updateEntity: (data) => call('updateEntity', () => module.updateEntity({ data }), true),
    deleteEntity: async (entityId) => {
      await call('deleteEntity', () => module.deleteEntity({ data: { entityId } }), true);
    },
    getEntity: (entityId, depth = 1) =>
      call('getEntity', () => module.getEntity({ data: { entityId, graphResolveDepths: linkDepths(depth) } }), false),
    queryEntities: async (multiFilter, depth = 0) => {
      const result = await call(
        'queryEntities',
        () => module.queryEntities({ data: { operation: { multiFilter }, graphResolveDepths: linkDepths(depth) } }),
        false,
      );
      return result.results;
    },
    uploadFile: (data) => call('uploadFile', () => module.uploadFile({ data }), true),
  };
}
