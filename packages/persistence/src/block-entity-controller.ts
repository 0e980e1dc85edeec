import type { Entity, EntityRootType, Subgraph } from '@blockprotocol/graph';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatTurnQueue, type ChatTurnQueueOptions, type ResolvedTurn } from './chat-turn-queue.js';
import type { WrittenTurn } from './chat.js';
import { EmbedderWatch } from './embedder-watch.js';
import { createGraphClient, type GraphClient, type GraphModuleLike } from './graph-client.js';
import { GraphError } from './graph-error.js';
import { Saver, type SaveState, type SaverOptions } from './saver.js';
import { rootEntity } from './subgraph.js';
import { guardUnload, releaseUnload } from './unload-guard.js';

/** The block's graph properties as the embedder set them (`BlockElementBase`'s `graph`). */
export interface BlockGraph {
  blockEntitySubgraph?: Subgraph<EntityRootType>;
  readonly?: boolean;
}

/**
 * How the controller reads its element's `graph` and `graphModule` (functions, because
 * `BlockElementBase` keeps `graphModule` protected and both are unset until an embedder answers).
 */
export interface BlockGraphAccess {
  graph: () => BlockGraph | undefined;
  graphModule: () => GraphModuleLike | undefined;
}

/** What a saver's or queue's write receives: a client bound to this block, and its entity. */
export interface BlockWriteContext {
  client: GraphClient;
  blockEntity: Entity;
}

export interface BlockEntityControllerOptions {
  /**
   * Called before a render when the block's data changed (compared by content, so a host that
   * sends the same data again causes no work): the whole subgraph, or only the block entity.
   */
  onChange?: (subgraph: Subgraph<EntityRootType>, blockEntity: Entity | undefined) => void;
  /** Which change counts (default `subgraph`: messages and images are linked entities). */
  watch?: 'subgraph' | 'entity';
  /** Milliseconds to wait for an embedder before saying the block stands alone. */
  embedderTimeoutMs?: number;
  /** Timeout of each graph call (Block Protocol core has none). */
  graphTimeoutMs?: number;
}

/** A saver or queue the controller pauses, resumes and guards with the element. */
interface Work {
  readonly hasUnsaved: boolean;
  readonly state: SaveState;
  resume(): void;
  dispose(): void;
}

/**
 * The block "shell" every AI block shares: whether an embedder answered, whether the page is
 * read-only, the block entity and when it changed, a graph client bound to it, and the savers
 * and turn queues that write the block's outputs. Savers pause when the element is detached,
 * carry on when it is attached again, and make the page ask before it is left with unsaved work.
 */
export class BlockEntityController implements ReactiveController {
  /** The block entity's subgraph as last received. */
  subgraph: Subgraph<EntityRootType> | undefined;
  /** The block entity, if the host sent one. */
  blockEntity: Entity | undefined;
  /** True once no embedder answered in time: outputs stay in memory only. */
  standalone = false;

  private lastGraph: unknown;
  private lastJson = '';
  private readonly works: Work[] = [];
  private readonly watch: EmbedderWatch;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly access: BlockGraphAccess,
    private readonly options: BlockEntityControllerOptions = {},
  ) {
    this.watch = new EmbedderWatch(() => {
      this.standalone = true;
      host.requestUpdate();
    }, options.embedderTimeoutMs);
    host.addController(this);
  }

  /** Whether the host said the block may not change anything. */
  get readonly(): boolean {
    return this.access.graph()?.readonly === true;
  }

  /**
   * Whether the block is shown in the Block Protocol Hub's preview, where nothing it does can be
   * kept: the hub's preview dock names the block entity `test-entity-<block name>` (apps/site,
   * block-data-container.tsx) and answers every service call FORBIDDEN.
   */
  get hubPreview(): boolean {
    const entityId: unknown = this.blockEntity?.metadata.recordId.entityId;
    return typeof entityId === 'string' && entityId.startsWith('test-entity-');
  }

  /**
   * A graph client for this block's writes. Throws GraphError NO_EMBEDDER (which savers report
   * as "no page to save to") while no embedder has answered.
   */
  client(): GraphClient {
    const module = this.access.graphModule();
    if (!module) throw new GraphError('NO_EMBEDDER', 'No page to save to: the block has no embedder');
    return createGraphClient(module, {
      isReadonly: () => this.readonly,
      ...(this.options.graphTimeoutMs === undefined ? {} : { timeoutMs: this.options.graphTimeoutMs }),
    });
  }

  /** The client and the block entity, or NO_EMBEDDER when either is missing. */
  writeContext(): BlockWriteContext {
    const client = this.client();
    const blockEntity = this.blockEntity;
    if (!blockEntity) throw new GraphError('NO_EMBEDDER', 'No page to save to: the host sent no block entity');
    return { client, blockEntity };
  }

  /** A saver whose state changes re-render the element; `write` gets this block's client and entity. */
  saver<T>(
    write: (value: T, context: BlockWriteContext) => Promise<void>,
    options: Omit<SaverOptions<T>, 'write'> = {},
  ): Saver<T> {
    const saver = new Saver<T>({
      ...options,
      write: (value) => write(value, this.writeContext()),
      onChange: (state) => {
        options.onChange?.(state);
        this.host.requestUpdate();
      },
    });
    this.works.push(saver);
    return saver;
  }

  /** A chat turn queue whose state changes re-render the element. */
  turnQueue(
    write: (turn: ResolvedTurn, context: BlockWriteContext) => Promise<WrittenTurn>,
    options: Omit<ChatTurnQueueOptions, 'write'>,
  ): ChatTurnQueue {
    const queue = new ChatTurnQueue({
      ...options,
      write: (turn) => write(turn, this.writeContext()),
      onChange: (state) => {
        options.onChange?.(state);
        this.host.requestUpdate();
      },
    });
    this.works.push(queue);
    return queue;
  }

  /** True while any saver or queue holds work not yet in the graph. */
  get hasUnsaved(): boolean {
    return this.works.some((work) => work.hasUnsaved);
  }

  hostConnected(): void {
    this.watch.start();
    // Attached again (moved, re-rendered by the host): write what is still unsaved.
    for (const work of this.works) {
      work.resume();
      guardUnload(work);
    }
  }

  hostDisconnected(): void {
    this.watch.stop();
    // Pauses only: a block that comes back carries on in hostConnected.
    for (const work of this.works) {
      work.dispose();
      releaseUnload(work);
    }
  }

  hostUpdate(): void {
    const graph = this.access.graph();
    if (!graph || graph === this.lastGraph) return;
    this.lastGraph = graph;
    this.watch.markAnswered();
    this.standalone = false;
    const subgraph = graph.blockEntitySubgraph;
    if (!subgraph) return;
    const blockEntity = rootEntity(subgraph);
    const json = JSON.stringify(this.options.watch === 'entity' ? (blockEntity ?? null) : subgraph);
    if (json === this.lastJson) return;
    this.lastJson = json;
    this.subgraph = subgraph;
    this.blockEntity = blockEntity;
    this.options.onChange?.(subgraph, blockEntity);
  }
}
