import type { Entity } from '@blockprotocol/graph';
import type { GraphClient } from './graph-client.js';
import { isGraphError } from './graph-error.js';

function entityIdOf(value: unknown): string | undefined {
  const id = (value as { metadata?: { recordId?: { entityId?: unknown } } } | undefined)?.metadata?.recordId?.entityId;
  return typeof id === 'string' ? id : undefined;
}

/** Waits for `promise` at most `ms`; undefined when it did not settle in time. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
  });
  return Promise.race([promise, expired]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * What one block created, by key (a message's client id, a link's type and ends, a file's
 * name), including creates whose answer came after the client gave up. With it a retry
 * writes nothing twice even on a host whose queryEntities is missing or unreliable: a known
 * entity is checked with getEntity, an unanswered create is waited for, and a create that
 * lands after its replacement was made is deleted again. Keep one per block (the chat's turn
 * queue does) so it outlives a single attempt.
 */
export class WriteLedger {
  private readonly created = new Map<string, string>();
  /** Creates not answered yet; `wait` when the host was only slow (not when the block was detached). */
  private readonly unanswered = new Map<string, { settled: Promise<string | undefined>; wait: boolean }>();
  /** The host answered NOT_IMPLEMENTED to queryEntities: lookups go straight to getEntity. */
  queriesUnsupported = false;

  /** Entity id this ledger knows for `key`. */
  entityIdOf(key: string): string | undefined {
    return this.created.get(key);
  }

  /** Whether a create for `key` timed out and has not been answered yet. */
  isUnanswered(key: string): boolean {
    return this.unanswered.has(key);
  }

  /**
   * The entity for `key`: the one created earlier (if it still exists), the late answer of an
   * earlier create, one `find` locates, or else a new one from `create`.
   */
  async ensure(
    client: GraphClient,
    key: string,
    steps: { find: () => Promise<Entity | undefined>; create: () => Promise<Entity> },
  ): Promise<string> {
    const known = this.created.get(key);
    if (known !== undefined) {
      if (await exists(client, known)) return known;
      this.created.delete(key);
    }
    const earlier = this.unanswered.get(key);
    if (earlier?.wait) {
      // Give an earlier, unanswered create one more timeout's time before looking elsewhere.
      const landed = await within(earlier.settled, client.timeoutMs);
      const id = landed ?? this.created.get(key);
      if (id !== undefined) return id;
    }
    const found = await steps.find();
    const foundId = entityIdOf(found);
    if (foundId !== undefined) {
      this.created.set(key, foundId);
      return foundId;
    }
    try {
      const entity = await steps.create();
      const id = entity.metadata.recordId.entityId;
      this.created.set(key, id);
      return id;
    } catch (error) {
      if (isGraphError(error) && error.late) this.watchLateAnswer(client, key, error.late, error.code === 'TIMEOUT');
      throw error;
    }
  }

  private watchLateAnswer(client: GraphClient, key: string, late: Promise<unknown>, wait: boolean): void {
    const settled: Promise<string | undefined> = late
      .then(async (value) => {
        const id = entityIdOf(value);
        if (id === undefined) return undefined;
        const current = this.created.get(key);
        if (current !== undefined && current !== id) {
          // A retry already made its replacement: the late one is an orphan duplicate.
          await client.deleteEntity(id).catch(() => undefined);
          return current;
        }
        this.created.set(key, id);
        return id;
      })
      .finally(() => {
        if (this.unanswered.get(key)?.settled === settled) this.unanswered.delete(key);
      });
    this.unanswered.set(key, { settled, wait });
  }
}

/**
 * Whether the host still has the entity. A host without getEntity cannot say: trust what it
 * answered to the create. Other errors propagate (retry later).
 */
async function exists(client: GraphClient, entityId: string): Promise<boolean> {
  try {
    await client.getEntity(entityId, 0);
    return true;
  } catch (error) {
    if (isGraphError(error) && error.code === 'NOT_FOUND') return false;
    if (isGraphError(error) && error.code === 'NOT_IMPLEMENTED') return true;
    throw error;
  }
}
