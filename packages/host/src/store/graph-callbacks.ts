import type { Entity, EntityRootType, GraphResolveDepths, Subgraph } from '@blockprotocol/graph';
import { EntityStore, StoreError, depths as linkDepths } from './entity-store.js';

const REMOTE_FILE_TYPE = 'https://blockprotocol.org/@blockprotocol/types/entity-type/remote-file/v/2';
const FILE = {
  url: 'https://blockprotocol.org/@blockprotocol/types/property-type/file-url/',
  name: 'https://blockprotocol.org/@blockprotocol/types/property-type/file-name/',
  mimeType: 'https://blockprotocol.org/@blockprotocol/types/property-type/mime-type/',
  description: 'https://blockprotocol.org/@blockprotocol/types/property-type/description/',
} as const;

type ErrorCode = 'FORBIDDEN' | 'INVALID_INPUT' | 'NOT_FOUND' | 'NOT_IMPLEMENTED' | 'INTERNAL_ERROR';
export interface CallbackResult<T> {
  data?: T;
  errors?: [{ code: ErrorCode; message: string }];
}
type Handler = (message: { data?: unknown }) => Promise<CallbackResult<unknown>>;

export interface GraphCallbackOptions {
  store: EntityStore;
  /** Writes are refused with FORBIDDEN while this returns a reason (readonly, hub preview). */
  refuseWrites?: () => string | undefined;
  /** Subgraphs in HASH's temporal shape. */
  temporal?: () => boolean;
  /** Called after every successful write, e.g. to push a new subgraph to the block. */
  onWrite?: (method: string) => void;
  /** Fetches a file the block asked to upload by URL (injected so tests need no network). */
  fetchFile?: (url: string) => Promise<Blob>;
}

/** Every graph message a block can send, each answered; the ones this host does not support answer NOT_IMPLEMENTED. */
export const GRAPH_MESSAGE_NAMES = [
  'createEntity', 'updateEntity', 'deleteEntity', 'getEntity', 'queryEntities', 'uploadFile',
  'createEntityType', 'updateEntityType', 'getEntityType', 'queryEntityTypes',
  'createPropertyType', 'updatePropertyType', 'getPropertyType', 'queryPropertyTypes',
  'getDataType', 'queryDataTypes', 'requestLinkedQuery',
] as const;

function fail(code: ErrorCode, message: string): CallbackResult<never> {
  return { errors: [{ code, message }] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a Blob as a data: URL, so a stored file-url survives reloads and needs no server. */
export async function blobToDataUrl(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return `data:${blob.type || 'application/octet-stream'};base64,${btoa(binary)}`;
}

/**
 * The graph module's embedder side over an EntityStore: one callback per Block Protocol
 * graph message, so no request is ever left unanswered.
 */
export function createGraphCallbacks(options: GraphCallbackOptions): Record<(typeof GRAPH_MESSAGE_NAMES)[number], Handler> {
  const { store } = options;
  const subgraphOf = (rootIds: string[], resolveDepths?: Partial<GraphResolveDepths>): Subgraph<EntityRootType> =>
    store.subgraph(rootIds, { ...linkDepths(0), ...resolveDepths }, { temporal: options.temporal?.() ?? false });

  const write = async <T>(method: string, action: () => Promise<T>): Promise<CallbackResult<T>> => {
    const refusal = options.refuseWrites?.();
    if (refusal) return fail('FORBIDDEN', refusal);
    try {
      const data = await action();
      options.onWrite?.(method);
      return { data };
    } catch (error) {
      if (error instanceof StoreError) return fail(error.code, error.message);
      return fail('INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
    }
  };

  const notImplemented: Handler = () => Promise.resolve(fail('NOT_IMPLEMENTED', 'This host does not support this message.'));

  const handlers: Record<string, Handler> = {
    createEntity: ({ data }) => {
      if (!isRecord(data) || typeof data['entityTypeId'] !== 'string' || !isRecord(data['properties'])) {
        return Promise.resolve(fail('INVALID_INPUT', 'createEntity needs entityTypeId and properties'));
      }
      const linkData = isRecord(data['linkData']) ? (data['linkData'] as unknown as Entity['linkData']) : undefined;
      return write('createEntity', () =>
        store.create({ entityTypeId: data['entityTypeId'] as string, properties: data['properties'] as Entity['properties'], ...(linkData ? { linkData } : {}) }),
      );
    },
    updateEntity: ({ data }) => {
      if (!isRecord(data) || typeof data['entityId'] !== 'string' || typeof data['entityTypeId'] !== 'string' || !isRecord(data['properties'])) {
        return Promise.resolve(fail('INVALID_INPUT', 'updateEntity needs entityId, entityTypeId and properties'));
      }
      return write('updateEntity', () =>
        store.update({
          entityId: data['entityId'] as string,
          entityTypeId: data['entityTypeId'] as string,
          properties: data['properties'] as Entity['properties'],
          ...(typeof data['leftToRightOrder'] === 'number' ? { leftToRightOrder: data['leftToRightOrder'] } : {}),
          ...(typeof data['rightToLeftOrder'] === 'number' ? { rightToLeftOrder: data['rightToLeftOrder'] } : {}),
        }),
      );
    },
    deleteEntity: ({ data }) => {
      if (!isRecord(data) || typeof data['entityId'] !== 'string') return Promise.resolve(fail('INVALID_INPUT', 'deleteEntity needs entityId'));
      return write('deleteEntity', async () => {
        await store.delete(data['entityId'] as string);
        return true as const;
      });
    },
    getEntity: ({ data }) => {
      if (!isRecord(data) || typeof data['entityId'] !== 'string') return Promise.resolve(fail('INVALID_INPUT', 'getEntity needs entityId'));
      const entityId = data['entityId'];
      if (!store.get(entityId)) return Promise.resolve(fail('NOT_FOUND', `entity ${entityId} not found`));
      return Promise.resolve({ data: subgraphOf([entityId], data['graphResolveDepths'] as Partial<GraphResolveDepths> | undefined) });
    },
    queryEntities: ({ data }) => {
      if (!isRecord(data) || !isRecord(data['operation'])) return Promise.resolve(fail('INVALID_INPUT', 'queryEntities needs an operation'));
      const operation = data['operation'] as { multiFilter?: never; multiSort?: never };
      const matches = store.query(operation.multiFilter, operation.multiSort);
      const results = subgraphOf(matches.map((entity) => entity.metadata.recordId.entityId), data['graphResolveDepths'] as Partial<GraphResolveDepths> | undefined);
      return Promise.resolve({ data: { results, operation } });
    },
    uploadFile: ({ data }) => {
      if (!isRecord(data)) return Promise.resolve(fail('INVALID_INPUT', 'uploadFile needs a file or a url'));
      const file = data['file'];
      const url = data['url'];
      if (!(file instanceof Blob) && typeof url !== 'string') return Promise.resolve(fail('INVALID_INPUT', 'uploadFile needs a file or a url'));
      return write('uploadFile', async () => {
        const blob = file instanceof Blob ? file : await (options.fetchFile ?? defaultFetchFile)(url as string);
        const name = typeof data['name'] === 'string' ? data['name'] : file instanceof File ? file.name : new URL(url as string).pathname.split('/').pop() || 'file';
        const properties: Record<string, string> = {
          [FILE.url]: await blobToDataUrl(blob),
          [FILE.name]: name,
          [FILE.mimeType]: blob.type || 'application/octet-stream',
        };
        if (typeof data['description'] === 'string') properties[FILE.description] = data['description'];
        const entity = await store.create({ entityTypeId: REMOTE_FILE_TYPE, properties });
        await store.putFile(entity.metadata.recordId.entityId, blob);
        return entity;
      });
    },
  };
  return Object.fromEntries(GRAPH_MESSAGE_NAMES.map((name) => [name, handlers[name] ?? notImplemented])) as Record<(typeof GRAPH_MESSAGE_NAMES)[number], Handler>;
}

async function defaultFetchFile(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new StoreError('INVALID_INPUT', `could not fetch ${url}: HTTP ${response.status}`);
  return response.blob();
}
