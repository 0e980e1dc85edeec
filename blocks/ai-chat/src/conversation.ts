import {
  appendChatTurn,
  BlockEntityController,
  readChatSettings,
  readChatTree,
  sameChatSettings,
  saveChatSettings,
  type BlockGraphAccess,
  type ChatSaveState,
  type ChatSettings,
  type Provenance,
  type SaveState,
} from '@ai-blocks/persistence';
import type { ChatMessage, SerializedAiError } from '@ai-blocks/runtime';
import type { Entity, EntityRootType, Subgraph } from '@blockprotocol/graph';
import type { ReactiveControllerHost } from 'lit';
import { CUSTOM_PRESET_ID, presetPrompt } from './presets.js';
import {
  activePath,
  entityIdsByKey,
  estimateTokens,
  fitHistory,
  mergeThread,
  ROOT,
  siblingsOf,
  threadFromTree,
  type Thread,
  type ThreadNode,
} from './thread.js';

/** A reply being written: the message it answers, and its own key. */
export interface Reply {
  requestKey: string;
  responseKey: string;
}

/** How a reply's run ended (structural: the generation controller's finished run fits). */
export interface ReplyResult {
  outcome: { status: 'complete' | 'aborted' | 'error'; text: string; error?: SerializedAiError };
  /** The engine that wrote it; absent when none could be made. */
  engine?: { engineId: string; modelId: string };
  provenance?: Provenance;
}

export interface ConversationOptions {
  /** True while a reply is loading or streaming: nothing else may start then. */
  busy: () => boolean;
  /**
   * Told the settings the conversation was last used with, once, when the block entity first arrives (to choose its
   * engine and model).
   */
  restoreEngine?: (settings: ChatSettings) => void;
}

type FormField = 'presetId' | 'customSystemPrompt' | 'temperature' | 'maxOutputTokens';

const newKey = (): string => crypto.randomUUID();

/**
 * AI Chat's state beside its element: the graph's conversation merged with the messages not
 * yet in it, which branch is shown, the history a reply is asked with, the chat settings and
 * every way the conversation changes (send, edit, regenerate, switch branch). Each finished
 * turn is queued once on the block-entity controller's turn queue (written in order, retried,
 * resumed when the element is attached again); the settings are saved only when they changed.
 * Testable in Node with a fake host.
 */
export class ConversationController {
  presetId = 'helpful';
  customSystemPrompt = '';
  temperature = 0.7;
  maxOutputTokens = 512;
  /** The graph's messages and the block's own, merged. */
  thread: Thread = { rootKeys: [], nodes: new Map() };
  /** The branch shown, from its first message to its last. */
  path: ThreadNode[] = [];
  /** Bumped whenever the messages shown change (not per token): the thread re-renders only then. */
  version = 0;
  /** The reply being written, until its run ends. */
  replying: Reply | undefined;
  /** A reply that failed before writing anything (or ended with an error): what it answered, and why. */
  failure: { requestKey: string; outcome: ReplyResult['outcome'] } | undefined;
  /** How many of the oldest messages the last request left out to fit the context window. */
  droppedNotice = 0;
  /** The settings the block entity holds. */
  storedSettings: ChatSettings = {};
  /** A new conversation was started and has no message yet (the earlier ones stay, as other roots). */
  fresh = false;

  readonly entities: BlockEntityController;
  private readonly turns;
  private readonly settingsSaver;
  private graphThread: Thread = { rootKeys: [], nodes: new Map() };
  private graphIds = new Map<string, string>();
  private localNodes: ThreadNode[] = [];
  private readonly choices = new Map<string, string>();
  private settingsLoaded = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    access: BlockGraphAccess,
    private readonly options: ConversationOptions,
  ) {
    this.entities = new BlockEntityController(host, access, {
      watch: 'subgraph',
      onChange: (subgraph, entity) => {
        this.read(subgraph, entity);
      },
    });
    this.turns = this.entities.turnQueue(
      (turn, { client, blockEntity }) => appendChatTurn(client, { blockEntity, ...turn }),
      { resolveKey: (key) => this.graphIds.get(key) },
    );
    this.settingsSaver = this.entities.saver<ChatSettings>(async (settings, { client, blockEntity }) => {
      await saveChatSettings(client, blockEntity, settings);
      this.storedSettings = settings;
    });
  }

  /** Whether the conversation's turns are saved (the settings save quietly). */
  get saveState(): ChatSaveState | SaveState {
    return this.turns.state;
  }

  /** The system prompt to send: the preset's, or the person's own. */
  get system(): string {
    return (this.presetId === CUSTOM_PRESET_ID ? this.customSystemPrompt : (presetPrompt(this.presetId) ?? '')).trim();
  }

  /** The last message of the branch shown. */
  get last(): ThreadNode | undefined {
    return this.path.at(-1);
  }

  /** A rough count of the tokens the branch shown and the system prompt take. */
  get usedTokens(): number {
    return this.path.reduce((sum, node) => sum + estimateTokens(node.text) + 4, estimateTokens(this.system));
  }

  /** A node's position among its siblings, for "‹ 2/3 ›". */
  siblings(node: ThreadNode): { index: number; keys: string[] } {
    return siblingsOf(this.thread, node);
  }

  /** Sets a form field (the element's inputs call this). */
  set<K extends FormField>(field: K, value: this[K]): void {
    this[field] = value;
    this.host.requestUpdate();
  }

  /** Sets temperature and/or length (the sampling controls call this). */
  setSampling(change: Partial<Pick<this, 'temperature' | 'maxOutputTokens'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }

  /**
   * Adds a message after the last reply of the branch shown; its key, to reply to, or undefined when it may not be
   * sent.
   */
  send(draft: string): string | undefined {
    const text = draft.trim();
    let last = this.last;
    if (!text || this.entities.readonly || this.options.busy()) return undefined;
    this.fresh = false;
    if (last?.role === 'user') {
      // A message with no reply is replaced: dropped when it was never written (it only ever is
      // with a reply), or left as an earlier version when the graph has it.
      this.failure = undefined;
      if (!this.isWritten(last.key)) {
        const unanswered = last;
        this.localNodes = this.localNodes.filter((node) => node !== unanswered);
      }
      last = last.parentKey === undefined ? undefined : this.thread.nodes.get(last.parentKey);
    }
    return this.addLocal({ key: newKey(), role: 'user', text, provenance: {}, parentKey: last?.key, saved: false }).key;
  }

  /** Edits an earlier message of the person: the edit is a new sibling branch; its key, to reply to. */
  edit(node: ThreadNode, draft: string): string | undefined {
    const text = draft.trim();
    if (!text || text === node.text || this.options.busy()) return undefined;
    return this.addLocal({ key: newKey(), role: 'user', text, provenance: {}, parentKey: node.parentKey, saved: false })
      .key;
  }

  /** The message to write another reply to (the new reply is a sibling of `response`). */
  regenerate(response: ThreadNode): string | undefined {
    return response.parentKey === undefined || this.options.busy() ? undefined : response.parentKey;
  }

  /** Starts a reply to `requestKey` (shown at once, empty); undefined on a read-only page. */
  startReply(requestKey: string): Reply | undefined {
    if (this.entities.readonly) return undefined;
    this.failure = undefined;
    this.droppedNotice = 0;
    const reply = { requestKey, responseKey: newKey() };
    this.replying = reply;
    this.addLocal({
      key: reply.responseKey,
      role: 'assistant',
      text: '',
      provenance: {},
      parentKey: requestKey,
      saved: false,
    });
    return reply;
  }

  /**
   * What the engine is asked for a reply: the branch up to its message, as much as fits `contextWindow` (leaving out
   * at least `minDropped` of the oldest messages), the system prompt, and the reply's length limit: the person's,
   * but never more than half the window, so a small model (the bundled one reads 512 tokens) keeps its history.
   */
  request(
    reply: Reply,
    contextWindow: number,
    minDropped = 0,
  ): { messages: ChatMessage[]; system: string; maxOutputTokens: number } {
    const system = this.system;
    const messages = this.historyTo(reply.requestKey).map((node): ChatMessage => ({
      role: node.role,
      content: node.text,
    }));
    const maxOutputTokens = Math.max(1, Math.min(this.maxOutputTokens, Math.floor(contextWindow / 2)));
    const budget = contextWindow - maxOutputTokens - estimateTokens(system) - 16;
    const fitted = fitHistory(messages, Math.max(budget, 1), undefined, minDropped);
    this.droppedNotice = fitted.dropped;
    this.host.requestUpdate();
    return { messages: fitted.messages, system, maxOutputTokens };
  }

  /**
   * Ends a reply: one that wrote nothing is dropped and its message kept with what went wrong;
   * otherwise the reply is shown and its turn queued (with the settings, when they changed).
   */
  finishReply(reply: Reply, result: ReplyResult): void {
    if (this.replying !== reply) return;
    this.replying = undefined;
    const response = this.localNodes.find((node) => node.key === reply.responseKey);
    if (!response) return;
    const { outcome } = result;
    if (!outcome.text) {
      this.localNodes = this.localNodes.filter((node) => node !== response);
      this.choices.delete(reply.requestKey);
      this.failure = { requestKey: reply.requestKey, outcome };
      this.rebuild();
      return;
    }
    const provenance = result.provenance ?? {};
    response.text = outcome.text;
    response.provenance = provenance;
    if (outcome.status === 'error') this.failure = { requestKey: reply.requestKey, outcome };
    this.rebuild();
    if (this.entities.readonly) return;
    if (result.engine) {
      const settings = this.settingsFor(result.engine);
      if (!sameChatSettings(settings, this.storedSettings)) void this.settingsSaver.save(settings);
    }
    const request = this.thread.nodes.get(reply.requestKey);
    const newRequest = request && !this.isWritten(reply.requestKey);
    this.turns.enqueue({
      request: newRequest
        ? { clientId: request.key, text: request.text, afterResponseKey: request.parentKey }
        : { existingRequestKey: reply.requestKey },
      response: { clientId: response.key, text: response.text, provenance },
    });
  }

  /**
   * Starts a new conversation in the block: the thread shows nothing until the next message,
   * which becomes a new first message. Earlier conversations are kept (‹ › on a first message
   * goes back to them).
   */
  startNew(): void {
    if (this.options.busy() || this.path.length === 0) return;
    this.fresh = true;
    this.failure = undefined;
    this.droppedNotice = 0;
    this.rebuild();
  }

  /** Shows the previous (-1) or next (+1) version of a message. */
  showSibling(node: ThreadNode, step: number): void {
    const { index, keys } = siblingsOf(this.thread, node);
    const next = keys[index + step];
    if (next === undefined) return;
    this.choices.set(node.parentKey ?? ROOT, next);
    this.fresh = false;
    this.path = activePath(this.thread, this.choices);
    this.bump();
  }

  /** Tries the queued turns again now. */
  retrySave(): void {
    this.turns.retryNow();
  }

  private read(subgraph: Subgraph<EntityRootType>, entity: Entity | undefined): void {
    const tree = readChatTree(subgraph, entity);
    this.graphThread = threadFromTree(tree);
    this.graphIds = entityIdsByKey(tree);
    // Messages the graph now has no longer need the block's own copy (the one still streaming does).
    this.localNodes = this.localNodes.filter(
      (node) => !this.graphThread.nodes.has(node.key) || node.key === this.replying?.responseKey,
    );
    this.storedSettings = readChatSettings(entity);
    if (!this.settingsLoaded && entity) {
      this.settingsLoaded = true;
      this.restore(this.storedSettings);
    }
    this.rebuild();
  }

  /** The settings the conversation was last used with, as the form and the engine choice. */
  private restore(settings: ChatSettings): void {
    this.options.restoreEngine?.(settings);
    if (settings.presetSystemPromptId) this.presetId = settings.presetSystemPromptId;
    if (settings.systemPrompt !== undefined && settings.presetSystemPromptId === CUSTOM_PRESET_ID)
      this.customSystemPrompt = settings.systemPrompt;
    if (settings.temperature !== undefined) this.temperature = settings.temperature;
    if (settings.maxOutputTokens !== undefined) this.maxOutputTokens = settings.maxOutputTokens;
  }

  private settingsFor(engine: { engineId: string; modelId: string }): ChatSettings {
    const settings: ChatSettings = {
      engineId: engine.engineId,
      modelId: engine.modelId,
      presetSystemPromptId: this.presetId,
      temperature: this.temperature,
      maxOutputTokens: this.maxOutputTokens,
    };
    if (this.presetId === CUSTOM_PRESET_ID) settings.systemPrompt = this.customSystemPrompt;
    return settings;
  }

  /** The node's messages from the root of its branch down to it. */
  private historyTo(key: string): ThreadNode[] {
    const history: ThreadNode[] = [];
    for (
      let node = this.thread.nodes.get(key);
      node;
      node = node.parentKey === undefined ? undefined : this.thread.nodes.get(node.parentKey)
    )
      history.unshift(node);
    return history;
  }

  private isWritten(key: string): boolean {
    return this.graphIds.has(key) || this.turns.knows(key);
  }

  private addLocal(node: Omit<ThreadNode, 'childKeys'>): ThreadNode {
    const added = { ...node, childKeys: [] };
    this.localNodes.push(added);
    this.choices.set(node.parentKey ?? ROOT, node.key);
    this.rebuild();
    return added;
  }

  private rebuild(): void {
    this.thread = mergeThread(this.graphThread, this.localNodes);
    this.path = this.fresh ? [] : activePath(this.thread, this.choices);
    this.bump();
  }

  private bump(): void {
    this.version += 1;
    this.host.requestUpdate();
  }
}
