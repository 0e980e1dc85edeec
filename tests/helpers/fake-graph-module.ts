import type { GraphModuleLike } from '@ai-blocks/persistence';
import { EntityStore } from '../../packages/host/src/store/entity-store.js';
import { createGraphCallbacks, type HostFaults } from '../../packages/host/src/store/graph-callbacks.js';

type Method = 'createEntity' | 'updateEntity' | 'deleteEntity' | 'getEntity' | 'queryEntities' | 'uploadFile';

/** What the fake embedder does with the next call of a method. */
export type Fault =
  | { kind: 'error'; code: string; message?: string }
  /** Never answers (like a host without the callback). */
  | { kind: 'hang' }
  /** Does the work and answers only after `ms` (a write that lands after the block gave up). */
  | { kind: 'late'; ms: number };

/**
 * A graph module backed by the host's real store and callbacks, with scripted faults, that
 * records every call. Tests pass it to the persistence layer instead of a GraphBlockHandler.
 */
export class FakeGraphModule {
  readonly store = new EntityStore();
  readonly calls: { method: Method; data: unknown }[] = [];
  private readonly faults = new Map<Method, Fault[]>();
  private readonly callbacks: ReturnType<typeof createGraphCallbacks>;

  /** `hostFaults` are the host's own fault modes (e.g. how it answers queryEntities); tests may change them later. */
  constructor(readonly hostFaults: HostFaults = {}) {
    this.callbacks = createGraphCallbacks({ store: this.store, faults: () => this.hostFaults });
  }

  /** Queues faults for the next calls of `method`, in order. */
  fail(method: Method, ...faults: Fault[]): this {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
    return this;
  }

  writes(): { method: Method; data: unknown }[] {
    return this.calls.filter((call) =>
      ['createEntity', 'updateEntity', 'deleteEntity', 'uploadFile'].includes(call.method),
    );
  }

  get module(): GraphModuleLike {
    const handle =
      (method: Method) =>
      async ({ data }: { data?: unknown }) => {
        this.calls.push({ method, data });
        const fault = this.faults.get(method)?.shift();
        if (fault?.kind === 'error')
          return { errors: [{ code: fault.code, message: fault.message ?? `${method} failed` }] };
        if (fault?.kind === 'hang') return new Promise<never>(() => {});
        if (fault?.kind === 'late') {
          const result = await this.callbacks[method]({ data });
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          return result;
        }
        return this.callbacks[method]({ data });
      };
    return {
      createEntity: handle('createEntity'),
      updateEntity: handle('updateEntity'),
      deleteEntity: handle('deleteEntity'),
      getEntity: handle('getEntity'),
      queryEntities: handle('queryEntities'),
      uploadFile: handle('uploadFile'),
    } as unknown as GraphModuleLike;
  }
}
