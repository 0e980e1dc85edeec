import type {
  Entity,
  EntityRootType,
  GraphResolveDepths,
  MultiFilter,
  MultiSort,
  Subgraph,
} from '@blockprotocol/graph';
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

/** The graph messages a block sends that a host can be told to answer badly. */
export type GraphMethod =
  'createEntity' | 'updateEntity' | 'deleteEntity' | 'getEntity' | 'queryEntities' | 'uploadFile';

/**
 * How queryEntities is answered, like hosts that implement it to different degrees:
 * `filtered` applies the filter; `unfiltered` answers every entity; `partial` applies only the
 * filters on `metadata` (the type) and ignores those on properties and link ends;
 * `not-implemented` answers NOT_IMPLEMENTED.
 */
export type QueryEntitiesMode = 'filtered' | 'unfiltered' | 'partial' | 'not-implemented';

/** What the host does with one call. */
export type HostFault =
  /** Does the work, then answers only after `ms` (a write that lands after the block gave up). */
  | { kind: 'late'; ms: number }
  /** Waits `ms`, then does the work and answers (a slow host). */
  | { kind: 'slow'; ms: number }
  /** Answers this error without doing anything. */
  | { kind: 'error'; code: ErrorCode; message?: string }
  /** Does the work, then answers this error (a write that landed although the answer says not). */
  | { kind: 'error-after-write'; code: ErrorCode; message?: string }
  /** Never does the work nor answers (the page was left while the call was under way). */
  | { kind: 'hang' };

/** Faults a test host is told to have; read on every call, so a test may change them at any time. */
export interface HostFaults {
  queryEntities?: QueryEntitiesMode;
  /** Faults for the next calls of a method, used up in order. */
  next?: Partial<Record<GraphMethod, HostFault[]>>;
  /** A fault for every call of a method (after `next` is used up). */
  always?: Partial<Record<GraphMethod, HostFault>>;
}

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
  /** Misbehaviour to show (tests of blocks against sloppy hosts); none by default. */
  faults?: () => HostFaults | undefined;
}

/** Every graph message a block can send, each answered; the ones this host does not support answer NOT_IMPLEMENTED. */
export const GRAPH_MESSAGE_NAMES = [
  'createEntity',
  'updateEntity',
  'deleteEntity',
  'getEntity',
  'queryEntities',
  'uploadFile',
  'createEntityType',
  'updateEntityType',
  'getEntityType',
  'queryEntityTypes',
  'createPropertyType',
  'updatePropertyType',
  'getPropertyType',
  'queryPropertyTypes',
  'getDataType',
  'queryDataTypes',
  'requestLinkedQuery',
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
export function createGraphCallbacks(
  options: GraphCallbackOptions,
): Record<(typeof GRAPH_MESSAGE_NAMES)[number], Handler> {
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

  const notImplemented: Handler = () =>
    Promise.resolve(fail('NOT_IMPLEMENTED', 'This host does not support this message.'));

  const handlers: Record<string, Handler> = {
    createEntity: ({ data }) => {
      if (!isRecord(data) || typeof data['entityTypeId'] !== 'string' || !isRecord(data['properties'])) {
        return Promise.resolve(fail('INVALID_INPUT', 'createEntity needs entityTypeId and properties'));
      }
      const linkData = isRecord(data['linkData']) ? (data['linkData'] as unknown as Entity['linkData']) : undefined;
      return write('createEntity', () =>
        store.create({
          entityTypeId: data['entityTypeId'] as string,
          properties: data['properties'] as Entity['properties'],
          ...(linkData ? { linkData } : {}),
        }),
      );
    },
    updateEntity: ({ data }) => {
      if (
        !isRecord(data) ||
        typeof data['entityId'] !== 'string' ||
        typeof data['entityTypeId'] !== 'string' ||
        !isRecord(data['properties'])
      ) {
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
      if (!isRecord(data) || typeof data['entityId'] !== 'string')
        return Promise.resolve(fail('INVALID_INPUT', 'deleteEntity needs entityId'));
      return write('deleteEntity', async () => {
        await store.delete(data['entityId'] as string);
        return true as const;
      });
    },
    getEntity: ({ data }) => {
      if (!isRecord(data) || typeof data['entityId'] !== 'string')
        return Promise.resolve(fail('INVALID_INPUT', 'getEntity needs entityId'));
      const entityId = data['entityId'];
      if (!store.get(entityId)) return Promise.resolve(fail('NOT_FOUND', `entity ${entityId} not found`));
      return Promise.resolve({
        data: subgraphOf([entityId], data['graphResolveDepths'] as Partial<GraphResolveDepths> | undefined),
      });
    },
    queryEntities: ({ data }) => {
      if (!isRecord(data) || !isRecord(data['operation']))
        return Promise.resolve(fail('INVALID_INPUT', 'queryEntities needs an operation'));
      const operation = data['operation'] as { multiFilter?: MultiFilter | null; multiSort?: MultiSort | null };
      const mode = options.faults?.()?.queryEntities ?? 'filtered';
      if (mode === 'not-implemented')
        return Promise.resolve(fail('NOT_IMPLEMENTED', 'This host does not implement queryEntities.'));
      const matches = store.query(sloppyFilter(operation.multiFilter, mode), operation.multiSort);
      const results = subgraphOf(
        matches.map((entity) => entity.metadata.recordId.entityId),
        data['graphResolveDepths'] as Partial<GraphResolveDepths> | undefined,
      );
      return Promise.resolve({ data: { results, operation } });
    },
    uploadFile: ({ data }) => {
      if (!isRecord(data)) return Promise.resolve(fail('INVALID_INPUT', 'uploadFile needs a file or a url'));
      const file = data['file'];
      const url = data['url'];
      if (!(file instanceof Blob) && typeof url !== 'string')
        return Promise.resolve(fail('INVALID_INPUT', 'uploadFile needs a file or a url'));
      return write('uploadFile', async () => {
        const blob = file instanceof Blob ? file : await (options.fetchFile ?? defaultFetchFile)(url as string);
        const name =
          typeof data['name'] === 'string'
            ? data['name']
            : file instanceof File
              ? file.name
              : new URL(url as string).pathname.split('/').pop() || 'file';
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
  const withFaults = (method: string, handler: Handler): Handler => {
    if (!(FAULTY_METHODS as readonly string[]).includes(method)) return handler;
    return async (message) => {
      const fault = nextFault(options.faults?.(), method as GraphMethod);
      if (!fault) return handler(message);
      switch (fault.kind) {
        case 'error':
          return fail(fault.code, fault.message ?? `${method} failed (host fault)`);
        case 'slow':
          await sleep(fault.ms);
          return handler(message);
        case 'late': {
          const result = await handler(message);
          await sleep(fault.ms);
          return result;
        }
        case 'error-after-write':
          await handler(message);
          return fail(fault.code, fault.message ?? `${method} failed (host fault)`);
        case 'hang':
          return new Promise<never>(() => undefined);
      }
    };
  };
  return Object.fromEntries(
    GRAPH_MESSAGE_NAMES.map((name) => [name, withFaults(name, handlers[name] ?? notImplemented)]),
  ) as Record<(typeof GRAPH_MESSAGE_NAMES)[number], Handler>;
}

const FAULTY_METHODS = [
  'createEntity',
  'updateEntity',
  'deleteEntity',
  'getEntity',
  'queryEntities',
  'uploadFile',
] as const satisfies readonly GraphMethod[];

function nextFault(faults: HostFaults | undefined, method: GraphMethod): HostFault | undefined {
  return faults?.next?.[method]?.shift() ?? faults?.always?.[method];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The filter a sloppy host actually applies. */
function sloppyFilter(
  multiFilter: MultiFilter | null | undefined,
  mode: QueryEntitiesMode,
): MultiFilter | null | undefined {
  if (mode === 'unfiltered') return null;
  if (mode === 'partial' && multiFilter)
    return { ...multiFilter, filters: multiFilter.filters.filter((filter) => filter.field[0] === 'metadata') };
  return multiFilter;
}

async function defaultFetchFile(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new StoreError('INVALID_INPUT', `could not fetch ${url}: HTTP ${response.status}`);
  return response.blob();
}
