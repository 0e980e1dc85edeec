import type { StoredEntity, StorePersistence } from '../store/entity-store.js';

const DB_VERSION = 1;

function request<T>(operation: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => {
      resolve(operation.result);
    };
    operation.onerror = () => {
      reject(operation.error ?? new Error('IndexedDB request failed'));
    };
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => {
      resolve();
    };
    transaction.onerror = () => {
      reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    };
    transaction.onabort = () => {
      reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    };
  });
}

/** Keeps the host's entities and uploaded files in IndexedDB, so they survive a reload. */
export async function openIndexedDbPersistence(name = 'ai-blocks-host'): Promise<StorePersistence> {
  const opening = indexedDB.open(name, DB_VERSION);
  opening.onupgradeneeded = () => {
    const db = opening.result;
    if (!db.objectStoreNames.contains('entities')) db.createObjectStore('entities');
    if (!db.objectStoreNames.contains('files')) db.createObjectStore('files');
  };
  const db = await request(opening);
  const write = async (store: 'entities' | 'files', action: (objects: IDBObjectStore) => void) => {
    const transaction = db.transaction(store, 'readwrite');
    action(transaction.objectStore(store));
    await done(transaction);
  };
  return {
    async load() {
      const transaction = db.transaction(['entities', 'files'], 'readonly');
      const entities = (await request(transaction.objectStore('entities').getAll())) as StoredEntity[];
      const fileStore = transaction.objectStore('files');
      const [keys, blobs] = await Promise.all([
        request(fileStore.getAllKeys()),
        request(fileStore.getAll() as IDBRequest<Blob[]>),
      ]);
      return { entities, files: keys.map((key, index) => ({ entityId: key as string, blob: blobs[index] as Blob })) };
    },
    putEntity: (record) =>
      write('entities', (objects) => objects.put(record, record.entity.metadata.recordId.entityId)),
    deleteEntity: async (entityId) => {
      await write('entities', (objects) => objects.delete(entityId));
      await write('files', (objects) => objects.delete(entityId));
    },
    putFile: (entityId, blob) => write('files', (objects) => objects.put(blob, entityId)),
    clear: async () => {
      await write('entities', (objects) => objects.clear());
      await write('files', (objects) => objects.clear());
    },
  };
}
