import { GraphEmbedderHandler } from '@blockprotocol/graph';
import type { EntityStore } from '../store/entity-store.js';
import { createGraphCallbacks, type HostFaults } from '../store/graph-callbacks.js';
import type { MessageLog } from './message-log.js';
import { ServiceEmbedderHandler } from './service-embedder-handler.js';

export interface HostMode {
  readonly: boolean;
  /** Render like the hub preview: examples only, no writes, no AI requests. */
  hubPreview: boolean;
  /** Send HASH-style temporal subgraphs. */
  temporal: boolean;
}

export interface BlockSlotOptions {
  name: string;
  tagName: string;
  store: EntityStore;
  blockEntityId: string;
  mode: () => HostMode;
  log: MessageLog;
  /** Answers a service-module call (the host page forwards it to its server). */
  callService: (
    method: string,
    payload: unknown,
  ) => Promise<{ data?: unknown; errors?: { code: string; message: string }[] }>;
  /** Whether to offer the service module at all (not when the host's server has no AI service). */
  offerService?: boolean;
  onWrite?: () => void;
  /** How badly to answer graph messages (tests of sloppy hosts). */
  faults?: () => HostFaults | undefined;
}

type BlockElement = HTMLElement & { graph?: unknown };

/**
 * One embedded block: its own wrapper element, GraphEmbedderHandler and service module
 * handler (Block Protocol allows one handler per block), the element created under the tag
 * name the host defined, and a fresh `graph` object on every change.
 */
export class BlockSlot {
  readonly wrapper: HTMLElement;
  readonly element: BlockElement;
  private readonly graphHandler: GraphEmbedderHandler;
  private readonly serviceHandler: ServiceEmbedderHandler | undefined;

  constructor(private readonly options: BlockSlotOptions) {
    this.wrapper = document.createElement('div');
    this.wrapper.className = 'block-wrapper';
    this.wrapper.dataset['block'] = options.name;
    options.log.watch(this.wrapper, options.name);
    const callbacks = createGraphCallbacks({
      store: options.store,
      refuseWrites: () => {
        const mode = options.mode();
        if (mode.hubPreview) return 'Writes are not accepted in the hub preview.';
        if (mode.readonly) return 'This page is read-only.';
        return undefined;
      },
      temporal: () => options.mode().temporal,
      onWrite: () => {
        this.refresh();
        options.onWrite?.();
      },
      ...(options.faults ? { faults: options.faults } : {}),
    });
    this.graphHandler = new GraphEmbedderHandler({
      element: this.wrapper,
      blockEntitySubgraph: this.subgraph(),
      readonly: this.isReadonly(),
      callbacks: callbacks as never,
    });
    const service =
      (method: string) =>
      async ({ data }: { data?: unknown }) => {
        if (options.mode().hubPreview) {
          return {
            errors: [{ code: 'FORBIDDEN', message: 'External service calls are unavailable in the hub preview.' }],
          };
        }
        return options.callService(method, data);
      };
    this.serviceHandler =
      options.offerService === false
        ? undefined
        : new ServiceEmbedderHandler({
            element: this.wrapper,
            callbacks: {
              openaiCompleteChat: service('openaiCompleteChat'),
              openaiCreateImage: service('openaiCreateImage'),
            },
          });
    // A block detached and attached again (moved, re-rendered) builds a new graph module, which
    // says init again; Block Protocol core 0.1.3's embedder then throws "Already initialized"
    // after answering. Let it answer a second init like the first.
    this.wrapper.addEventListener(
      'blockprotocolmessage',
      (event) => {
        const detail = (event as CustomEvent<{ source?: string; module?: string; messageName?: string } | undefined>)
          .detail;
        if (detail?.source !== 'block' || detail.module !== 'core' || detail.messageName !== 'init') return;
        const core = (this.graphHandler as unknown as { coreHandler?: { hasInitialized?: boolean } }).coreHandler;
        if (core) core.hasInitialized = false;
      },
      { capture: true },
    );
    this.element = document.createElement(options.tagName);
    this.element.graph = { blockEntitySubgraph: this.subgraph(), readonly: this.isReadonly() };
    this.wrapper.append(this.element);
  }

  /** Sends the block its current subgraph and readonly flag, as a new object. */
  refresh(): void {
    const blockEntitySubgraph = this.subgraph();
    const readonly = this.isReadonly();
    this.element.graph = { blockEntitySubgraph, readonly };
    this.graphHandler.blockEntitySubgraph({ data: blockEntitySubgraph });
    this.graphHandler.readonly({ data: readonly });
  }

  destroy(): void {
    this.graphHandler.destroy();
    this.serviceHandler?.destroy();
    this.wrapper.remove();
  }

  // The hub preview shows blocks editable (as the hub did) but refuses their writes.
  private isReadonly(): boolean {
    return this.options.mode().readonly;
  }

  private subgraph() {
    return this.options.store.subgraph([this.options.blockEntityId], undefined, {
      temporal: this.options.mode().temporal,
    });
  }
}
