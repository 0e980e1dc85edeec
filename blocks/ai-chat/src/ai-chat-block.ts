import {
  appendChatTurn,
  ChatTurnQueue,
  createGraphClient,
  EmbedderWatch,
  guardUnload,
  readChatSettings,
  readChatTree,
  releaseUnload,
  rootEntity,
  Saver,
  saveChatSettings,
  sameChatSettings,
  type ChatSaveState,
  type ChatSettings,
  type Provenance,
  type SaveState,
} from '@ai-blocks/persistence';
import { DEFAULT_ENGINE_ORDER, importModule, runtimeAssetUrl, streamText, type BlockEngineSettings, type ChatMessage, type EngineId, type LoadProgress, type TextEngine } from '@ai-blocks/runtime';
import { createLazyHighlighter, EngineChoiceController, GenerationController, GenerationStatus, loadMarkdownRenderer, MarkdownHtmlCache, runProvenance, renderEnginePicker, renderErrorNotice, StreamingMarkdownView, type ErrorAction, type GenerationOutcome, type GenerationTiming, type HighlighterModule } from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { aiChatBlockStyles } from './ai-chat-block.styles.js';
import { CONTEXT_WINDOWS, CUSTOM_PRESET_ID, DEFAULT_CONTEXT_WINDOW, presetPrompt, SYSTEM_PROMPT_PRESETS, WASM_CONTEXT_WINDOW } from './presets.js';
import { activePath, entityIdsByKey, estimateTokens, fitHistory, mergeThread, ROOT, siblingsOf, threadFromTree, type Thread, type ThreadNode } from './thread.js';

const ENGINE_IDS = new Set<string>(DEFAULT_ENGINE_ORDER);

/** Engine settings from the host or the person, plus the model's context window where known. */
export type AiChatSettings = BlockEngineSettings & { contextWindow?: number };

/** The reply being written, and what it answers. */
interface Run {
  requestKey: string;
  responseKey: string;
  /** Whether the request still has to be written with this turn. */
  newRequest: boolean;
  engine: TextEngine | undefined;
}

const newKey = (): string => crypto.randomUUID();

// The Markdown renderer is a runtime asset, loaded on first use (it would double the main file).
const loadMarkdown = () => loadMarkdownRenderer(() => importModule(runtimeAssetUrl('markdown.js')));
// Code highlighting loads from the runtime assets the first time a reply contains code.
const highlighter = createLazyHighlighter(() => importModule<HighlighterModule>(runtimeAssetUrl('highlight.js')));

/**
 * AI Chat: a conversation that lives in the page's graph. Every message is an entity and every
 * turn a link, so editing a message or regenerating a reply makes a branch, and branches are
 * kept and can be revisited.
 *
 * @summary Chats with an AI model and saves the conversation, branches included, in the page.
 * @csspart thread - The list of messages.
 * @csspart message - One message.
 * @csspart composer - The message field and its buttons.
 * @csspart button - Every button.
 * @csspart provenance - Model, tokens and time under a reply.
 * @cssproperty --ai-block-accent - Accent colour of primary buttons.
 * @cssproperty --ai-chat-user-background - Background of the person's messages.
 */
export class AiChatBlock extends BlockElementBase {
  static override styles = aiChatBlockStyles;

  static override properties = {
    ...BlockElementBase.properties,
    settings: { attribute: false },
    draft: { state: true },
    presetId: { state: true },
    customSystemPrompt: { state: true },
    temperature: { state: true },
    maxOutputTokens: { state: true },
    loadProgress: { state: true },
    saveState: { state: true },
    standalone: { state: true },
    editingKey: { state: true },
    editDraft: { state: true },
    threadVersion: { state: true },
    failure: { state: true },
    droppedNotice: { state: true },
  };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: AiChatSettings = {};

  protected draft = '';
  protected presetId = 'helpful';
  protected customSystemPrompt = '';
  protected temperature = 0.7;
  protected maxOutputTokens = 512;
  protected loadProgress: LoadProgress | undefined;
  protected saveState: ChatSaveState | SaveState = { status: 'idle', failures: 0 };
  protected standalone = false;
  protected editingKey: string | undefined;
  protected editDraft = '';
  /** Bumped whenever the messages shown change (not per token): the thread re-renders only then. */
  protected threadVersion = 0;
  /** A reply that failed before writing anything: the request stays, with what went wrong. */
  protected failure: { requestKey: string; outcome: GenerationOutcome } | undefined;
  protected droppedNotice = 0;

  private graphThread: Thread = { rootKeys: [], nodes: new Map() };
  private graphIds = new Map<string, string>();
  private localNodes: ThreadNode[] = [];
  private thread: Thread = { rootKeys: [], nodes: new Map() };
  private path: ThreadNode[] = [];
  private readonly choices = new Map<string, string>();
  private storedSettings: ChatSettings = {};
  private lastEntityJson = '';
  private settingsLoaded = false;
  /** Engine and model choice, with the reasons and the model picker's state. */
  private readonly engines = new EngineChoiceController(this, () => this.settings);
  /** Rendered replies on the branch shown (pruned as it changes); long ones render in the background. */
  private readonly markdownCache = new MarkdownHtmlCache({
    onRendered: () => {
      this.threadVersion += 1;
    },
  });
  /** The element the reply being written streams into (a ref: reply content cannot pose as it). */
  private readonly streamingBody = createRef<HTMLElement>();
  private streamingView: StreamingMarkdownView | undefined;
  private run: Run | undefined;

  private readonly generation = new GenerationController(this, {
    onDelta: (delta) => this.streamingView?.append(delta),
    onFinish: (outcome, timing) => {
      this.streamingView?.end();
      this.finishRun(outcome, timing);
    },
  });

  private readonly embedderWatch = new EmbedderWatch(() => {
    this.standalone = true;
  });

  private readonly turns = new ChatTurnQueue({
    write: (turn) => {
      const entity = this.blockEntity();
      if (!entity) throw Object.assign(new Error('No embedder'), { name: 'GraphError', code: 'NO_EMBEDDER' });
      return appendChatTurn(this.client(), { blockEntity: entity, ...turn });
    },
    resolveKey: (key) => this.graphIds.get(key),
    onChange: (state) => {
      this.saveState = state;
    },
  });

  private readonly settingsSaver = new Saver<ChatSettings>({
    write: async (settings) => {
      const entity = this.blockEntity();
      if (!entity) throw Object.assign(new Error('No embedder'), { name: 'GraphError', code: 'NO_EMBEDDER' });
      await saveChatSettings(this.client(), entity, settings);
      this.storedSettings = settings;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void loadMarkdown().then(() => {
      // Replies shown as plain text so far are rendered as Markdown now.
      this.threadVersion += 1;
    });
    this.embedderWatch.start();
    this.addEventListener('keydown', this.handleKeydown);
    // Attached again (moved, re-rendered): write what is still queued; ask before the page is left meanwhile.
    this.turns.resume();
    this.settingsSaver.resume();
    guardUnload(this.turns);
    guardUnload(this.settingsSaver);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.handleKeydown);
    this.embedderWatch.stop();
    // Pauses only: a block that comes back carries on (resume in connectedCallback).
    this.turns.dispose();
    this.settingsSaver.dispose();
    releaseUnload(this.turns);
    releaseUnload(this.settingsSaver);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('graph') && (this.graph as unknown)) {
      this.embedderWatch.markAnswered();
      this.standalone = false;
      const subgraph = this.graph.blockEntitySubgraph;
      const entity = rootEntity(subgraph);
      const json = JSON.stringify(subgraph);
      if (json !== this.lastEntityJson) {
        this.lastEntityJson = json;
        const tree = readChatTree(subgraph, entity);
        this.graphThread = threadFromTree(tree);
        this.graphIds = entityIdsByKey(tree);
        // Messages the graph now has no longer need the block's own copy.
        this.localNodes = this.localNodes.filter((node) => !this.graphThread.nodes.has(node.key) || node.key === this.run?.responseKey);
        this.storedSettings = readChatSettings(entity);
        if (!this.settingsLoaded && entity) {
          this.settingsLoaded = true;
          this.applyStoredSettings(this.storedSettings);
        }
        this.rebuildThread();
      }
    }
    if (changed.has('settings')) void this.engines.refresh();
  }

  protected override updated(changed: PropertyValues): void {
    const streaming = this.streamingBody.value?.isConnected ? this.streamingBody.value : undefined;
    if (streaming && this.streamingView?.element !== streaming) {
      this.streamingView = new StreamingMarkdownView(streaming, { onCodeBlock: highlighter });
      this.streamingView.setText(this.generation.text);
    }
    // Replies shown anew may hold code: highlight what is not yet (only when the thread changed).
    if (changed.has('threadVersion')) {
      this.markdownCache.retain(this.path.map((node) => node.key));
      const thread = this.renderRoot.querySelector<HTMLElement>('.thread');
      if (thread?.querySelector('pre code:not([data-highlighted])')) highlighter(thread);
    }
    // Follow the conversation as it grows, unless the person scrolled up to read.
    const thread = this.renderRoot.querySelector<HTMLElement>('.thread');
    if (thread && this.followThread) thread.scrollTop = thread.scrollHeight;
  }

  /** Whether the thread stays scrolled to its newest message (until the person scrolls up). */
  private followThread = true;

  private readonly handleThreadScroll = (event: Event): void => {
    const thread = event.currentTarget as HTMLElement;
    this.followThread = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 48;
  };

  private applyStoredSettings(settings: ChatSettings): void {
    if (settings.engineId && ENGINE_IDS.has(settings.engineId)) this.engines.setEngine(settings.engineId as EngineId);
    // The conversation's in-browser model, when it is one of the catalogue's (it downloads only when used).
    const model = this.engines.models.find((candidate) => candidate.id === settings.modelId);
    if (model && model.engine === settings.engineId) this.engines.chooseModel(model);
    if (settings.presetSystemPromptId) this.presetId = settings.presetSystemPromptId;
    if (settings.systemPrompt !== undefined && settings.presetSystemPromptId === CUSTOM_PRESET_ID) this.customSystemPrompt = settings.systemPrompt;
    if (settings.temperature !== undefined) this.temperature = settings.temperature;
    if (settings.maxOutputTokens !== undefined) this.maxOutputTokens = settings.maxOutputTokens;
  }

  private client() {
    if (!this.graphModule) throw Object.assign(new Error('No embedder'), { name: 'GraphError', code: 'NO_EMBEDDER' });
    return createGraphClient(this.graphModule, { isReadonly: () => this.isReadonly });
  }

  /** Whether the block may change anything (the host said readonly). */
  private get isReadonly(): boolean {
    return (this.graph as typeof this.graph | undefined)?.readonly === true;
  }

  private blockEntity() {
    return rootEntity((this.graph as typeof this.graph | undefined)?.blockEntitySubgraph);
  }

  private rebuildThread(): void {
    this.thread = mergeThread(this.graphThread, this.localNodes);
    this.path = activePath(this.thread, this.choices);
    this.threadVersion += 1;
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.generation.busy) {
      event.preventDefault();
      this.generation.stop();
    }
  };

  private systemPrompt(): string {
    return (this.presetId === CUSTOM_PRESET_ID ? this.customSystemPrompt : presetPrompt(this.presetId) ?? '').trim();
  }

  private contextWindow(engine: TextEngine | undefined): number {
    if (this.settings.contextWindow) return this.settings.contextWindow;
    const engineId = engine?.engineId ?? this.engines.selection?.choice;
    if (engineId === 'wasm') return WASM_CONTEXT_WINDOW;
    if (engineId === 'webllm') return this.engines.activeLocalModel()?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
    return (engine && CONTEXT_WINDOWS[engine.modelId]) ?? DEFAULT_CONTEXT_WINDOW;
  }

  private currentSettings(engine: TextEngine): ChatSettings {
    const settings: ChatSettings = { engineId: engine.engineId, modelId: engine.modelId, presetSystemPromptId: this.presetId, temperature: this.temperature, maxOutputTokens: this.maxOutputTokens };
    if (this.presetId === CUSTOM_PRESET_ID) settings.systemPrompt = this.customSystemPrompt;
    return settings;
  }

  /** The node's messages from the root of its branch down to it. */
  private historyTo(key: string): ThreadNode[] {
    const history: ThreadNode[] = [];
    for (let node = this.thread.nodes.get(key); node; node = node.parentKey === undefined ? undefined : this.thread.nodes.get(node.parentKey)) history.unshift(node);
    return history;
  }

  private lastOnPath(): ThreadNode | undefined {
    return this.path.at(-1);
  }

  /** Sends the draft as a new message after the last reply on the branch shown. */
  private async send(): Promise<void> {
    const text = this.draft.trim();
    const last = this.lastOnPath();
    if (!text || this.isReadonly || this.generation.busy || last?.role === 'user') return;
    this.draft = '';
    const request = this.addLocal({ key: newKey(), role: 'user', text, provenance: {}, parentKey: last?.key, saved: false });
    await this.reply(request.key, true);
  }

  /** Edits an earlier message of the person: the edit is a new sibling branch, then answered. */
  private async saveEdit(node: ThreadNode): Promise<void> {
    const text = this.editDraft.trim();
    this.editingKey = undefined;
    if (!text || text === node.text || this.generation.busy) return;
    const request = this.addLocal({ key: newKey(), role: 'user', text, provenance: {}, parentKey: node.parentKey, saved: false });
    await this.reply(request.key, true);
  }

  /** Writes another reply to the same message: a sibling of the reply shown. */
  private async regenerate(response: ThreadNode): Promise<void> {
    if (response.parentKey === undefined || this.generation.busy) return;
    const requestKey = response.parentKey;
    await this.reply(requestKey, !this.isWritten(requestKey));
  }

  private isWritten(key: string): boolean {
    return this.graphIds.has(key) || this.turns.knows(key);
  }

  private addLocal(node: Omit<ThreadNode, 'childKeys'>): ThreadNode {
    const added = { ...node, childKeys: [] };
    this.localNodes.push(added);
    this.choices.set(node.parentKey ?? ROOT, node.key);
    this.rebuildThread();
    return added;
  }

  private async reply(requestKey: string, newRequest: boolean): Promise<void> {
    const engineId = this.engines.selection?.choice;
    if (!engineId || this.isReadonly) return;
    this.failure = undefined;
    this.droppedNotice = 0;
    this.loadProgress = undefined;
    const history = this.historyTo(requestKey);
    const responseKey = newKey();
    const run: Run = { requestKey, responseKey, newRequest, engine: undefined };
    this.run = run;
    this.addLocal({ key: responseKey, role: 'assistant', text: '', provenance: {}, parentKey: requestKey, saved: false });
    await this.generation.start(async (signal) => {
      const engine = this.engines.engine(engineId);
      run.engine = engine;
      if (engine.load) {
        await engine.load({ abortSignal: signal, onProgress: (progress) => (this.loadProgress = progress) });
        // The model may have been downloaded just now: other pickers on the page should say so.
        this.engines.announceModelsChanged();
      }
      const system = this.systemPrompt();
      const messages: ChatMessage[] = history.map((node) => ({ role: node.role, content: node.text }));
      const budget = this.contextWindow(engine) - this.maxOutputTokens - estimateTokens(system) - 16;
      const fitted = fitHistory(messages, Math.max(budget, 1));
      this.droppedNotice = fitted.dropped;
      return streamText({
        engine,
        messages: fitted.messages,
        ...(system ? { system } : {}),
        temperature: this.temperature,
        maxOutputTokens: this.maxOutputTokens,
        abortSignal: signal,
      });
    });
    this.loadProgress = undefined;
  }

  private finishRun(outcome: GenerationOutcome, timing: GenerationTiming): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    const response = this.localNodes.find((node) => node.key === run.responseKey);
    if (!response) return;
    if (!outcome.text) {
      // Nothing was written: drop the empty reply, keep the message, say what happened.
      this.localNodes = this.localNodes.filter((node) => node !== response);
      this.choices.delete(run.requestKey);
      this.failure = { requestKey: run.requestKey, outcome };
      this.rebuildThread();
      return;
    }
    const provenance: Provenance = runProvenance(run.engine, outcome, timing);
    response.text = outcome.text;
    response.provenance = provenance;
    if (outcome.status === 'error') this.failure = { requestKey: run.requestKey, outcome };
    this.generation.reset();
    this.rebuildThread();
    if (this.isReadonly) return;
    const request = this.thread.nodes.get(run.requestKey);
    if (run.engine) {
      const settings = this.currentSettings(run.engine);
      if (!sameChatSettings(settings, this.storedSettings)) void this.settingsSaver.save(settings);
    }
    this.turns.enqueue({
      request: run.newRequest && request ? { clientId: request.key, text: request.text, afterResponseKey: request.parentKey } : { existingRequestKey: run.requestKey },
      response: { clientId: response.key, text: response.text, provenance },
    });
  }

  private showSibling(node: ThreadNode, step: number): void {
    const { index, keys } = siblingsOf(this.thread, node);
    const next = keys[index + step];
    if (next === undefined) return;
    this.choices.set(node.parentKey ?? ROOT, next);
    this.path = activePath(this.thread, this.choices);
    this.threadVersion += 1;
  }

  private async copy(text: string): Promise<void> {
    await navigator.clipboard.writeText(text).catch(() => undefined);
  }

  private handleErrorAction(action: ErrorAction): void {
    const failed = this.failure;
    if (action === 'retry' && failed) void this.reply(failed.requestKey, !this.isWritten(failed.requestKey));
    else if (action === 'switch-engine') this.renderRoot.querySelector<HTMLSelectElement>('#engine')?.focus();
    else this.renderRoot.querySelector<HTMLTextAreaElement>('#message')?.focus();
  }

  private markdown(node: ThreadNode): string {
    return this.markdownCache.html(node.key, node.text);
  }

  override render() {
    const readonly = this.isReadonly;
    const streamingKey = this.generation.busy ? this.run?.responseKey : undefined;
    const shown = streamingKey ? this.path.filter((node) => node.key !== streamingKey) : this.path;
    const busy = this.generation.busy;
    return html`<section aria-label="AI Chat">
      ${this.standalone ? html`<p class="status" role="status">This block is not connected to a page that saves it: the conversation stays here until you leave.</p>` : nothing}
      ${readonly ? nothing : this.renderSettings()}
      ${this.path.length === 0 ? this.renderEmpty(readonly) : nothing}
      <div class="thread" part="thread" role="log" aria-label="Conversation" aria-busy=${busy ? 'true' : 'false'} @scroll=${this.handleThreadScroll}>
        ${guard([this.threadVersion, this.editingKey, readonly, busy], () => repeat(shown, (node) => node.key, (node) => this.renderMessage(node, readonly, busy)))}
        ${streamingKey ? this.renderStreaming() : nothing}
      </div>
      ${this.renderNotices()}
      ${readonly ? nothing : this.renderComposer()}
      ${this.renderSaveState()}
    </section>`;
  }

  private renderSettings() {
    const busy = this.generation.busy;
    return html`${renderEnginePicker(this.engines, { busy })}
      <div class="settings row">
        <label for="preset">Assistant</label>
        <select id="preset" ?disabled=${busy} @change=${(event: Event) => { this.presetId = (event.target as HTMLSelectElement).value; }}>
          ${SYSTEM_PROMPT_PRESETS.map((preset) => html`<option value=${preset.id} ?selected=${preset.id === this.presetId}>${preset.label}</option>`)}
          <option value=${CUSTOM_PRESET_ID} ?selected=${this.presetId === CUSTOM_PRESET_ID}>Your own…</option>
        </select>
      </div>
      ${this.storedSettings.modelId ? html`<p class="hint" data-stored-model>This conversation last used ${this.storedSettings.modelId}${this.storedSettings.engineId ? ` (${this.storedSettings.engineId})` : ''}.</p>` : nothing}
      ${this.presetId === CUSTOM_PRESET_ID
        ? html`<label for="system">System prompt</label>
            <textarea id="system" class="system" .value=${this.customSystemPrompt} @input=${(event: Event) => { this.customSystemPrompt = (event.target as HTMLTextAreaElement).value; }}></textarea>`
        : nothing}
      <details>
        <summary>Settings</summary>
        <div class="row">
          <label for="temperature">Temperature ${this.temperature.toFixed(1)}</label>
          <input id="temperature" type="range" min="0" max="2" step="0.1" .value=${String(this.temperature)} @input=${(event: Event) => { this.temperature = Number((event.target as HTMLInputElement).value); }} />
          <label for="length">Max reply length (tokens)</label>
          <input id="length" type="number" min="1" max="32000" .value=${String(this.maxOutputTokens)} @change=${(event: Event) => { this.maxOutputTokens = Math.max(1, Number((event.target as HTMLInputElement).value) || 1); }} />
        </div>
      </details>`;
  }

  private renderEmpty(readonly: boolean) {
    if (readonly) return html`<p class="status">No messages yet.</p>`;
    // An example exchange: what a person sees before the first message (and in the hub's preview).
    return html`<div class="example" aria-label="Example conversation">
      <p class="hint">Example — write a message below to start.</p>
      <div class="message user"><div class="body">What is a good name for a lighthouse cat?</div></div>
      <div class="message assistant"><div class="body markdown"><p>How about <strong>Beacon</strong>, <strong>Foghorn</strong> or <strong>Lumen</strong>?</p></div></div>
    </div>`;
  }

  private renderMessage(node: ThreadNode, readonly: boolean, busy: boolean) {
    const { index, keys } = siblingsOf(this.thread, node);
    const isUser = node.role === 'user';
    const editing = this.editingKey === node.key;
    return html`<article class="message ${node.role}" part="message" data-key=${node.key} data-role=${node.role} aria-label=${isUser ? 'You' : 'AI'}>
      <div class="meta">
        <span class="who">${isUser ? 'You' : 'AI'}</span>
        ${keys.length > 1
          ? html`<span class="branches" role="group" aria-label="Versions of this message">
              <button type="button" part="button" data-action="previous-branch" aria-label="Previous version" ?disabled=${index <= 0 || busy} @click=${() => { this.showSibling(node, -1); }}>‹</button>
              <span class="branch-position">${index + 1}/${keys.length}</span>
              <button type="button" part="button" data-action="next-branch" aria-label="Next version" ?disabled=${index >= keys.length - 1 || busy} @click=${() => { this.showSibling(node, 1); }}>›</button>
            </span>`
          : nothing}
      </div>
      ${editing
        ? html`<label class="visually-hidden" for="edit-${node.key}">Edit your message</label>
            <textarea id="edit-${node.key}" class="edit" .value=${this.editDraft} @input=${(event: Event) => { this.editDraft = (event.target as HTMLTextAreaElement).value; }}
              @keydown=${(event: KeyboardEvent) => { if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); void this.saveEdit(node); } else if (event.key === 'Escape') { event.stopPropagation(); this.editingKey = undefined; } }}></textarea>
            <div class="row">
              <button type="button" class="primary" part="button" data-action="save-edit" @click=${() => void this.saveEdit(node)}>Send as a new version</button>
              <button type="button" part="button" @click=${() => { this.editingKey = undefined; }}>Cancel</button>
            </div>`
        : isUser
          ? html`<div class="body">${node.text}</div>`
          : html`<div class="body markdown">${unsafeHTML(this.markdown(node))}</div>`}
      ${isUser ? nothing : renderProvenance(node.provenance)}
      ${readonly || editing
        ? nothing
        : html`<div class="actions row">
            <button type="button" part="button" data-action="copy" @click=${() => void this.copy(node.text)}>Copy</button>
            ${isUser
              ? html`<button type="button" part="button" data-action="edit" ?disabled=${busy} @click=${() => { this.editDraft = node.text; this.editingKey = node.key; }}>Edit</button>`
              : html`<button type="button" part="button" data-action="regenerate" ?disabled=${busy} @click=${() => void this.regenerate(node)}>Regenerate</button>`}
          </div>`}
    </article>`;
  }

  private renderStreaming() {
    const loading = this.generation.status === GenerationStatus.LOADING;
    return html`<article class="message assistant" part="message" data-role="assistant" data-streaming aria-label="AI">
      <div class="meta"><span class="who">AI</span></div>
      ${loading && this.loadProgress
        ? html`<div role="status"><progress max="1" .value=${this.loadProgress.fraction} aria-label="Loading the model"></progress> <span class="hint">${this.loadProgress.text}</span></div>`
        : nothing}
      <div class="body markdown streaming" ${ref(this.streamingBody)}></div>
      <span class="visually-hidden" role="status">${loading ? 'Loading the model…' : 'Writing…'}</span>
    </article>`;
  }

  private renderNotices() {
    const failure = this.failure;
    const outcome = failure?.outcome;
    return html`${this.droppedNotice > 0
        ? html`<p class="status notice" role="status" data-notice="history-trimmed">The ${this.droppedNotice} oldest message${this.droppedNotice === 1 ? ' was' : 's were'} left out of the request to fit the model’s context window.</p>`
        : nothing}
      ${outcome?.status === 'aborted' ? html`<p class="status" role="status">Stopped before any reply. <button type="button" part="button" data-action="retry" @click=${() => { this.handleErrorAction('retry'); }}>Try again</button></p>` : nothing}
      ${outcome?.status === 'error' && outcome.error ? renderErrorNotice(outcome.error, (action) => { this.handleErrorAction(action); }) : nothing}`;
  }

  private renderComposer() {
    const busy = this.generation.busy;
    const last = this.lastOnPath();
    const awaitingReply = !busy && last?.role === 'user';
    const used = this.path.reduce((sum, node) => sum + estimateTokens(node.text) + 4, estimateTokens(this.systemPrompt()));
    const window = this.contextWindow(undefined);
    return html`<div class="composer" part="composer">
      <label for="message">Message</label>
      <textarea id="message" .value=${this.draft} placeholder="Write a message" aria-describedby="message-hint"
        @input=${(event: Event) => { this.draft = (event.target as HTMLTextAreaElement).value; }}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            void this.send();
          }
        }}></textarea>
      <div class="row">
        <button type="button" class="primary" part="button" data-action="send" ?disabled=${busy || awaitingReply || !this.draft.trim() || !this.engines.selection?.choice} @click=${() => void this.send()}>Send</button>
        ${busy ? html`<button type="button" part="button" data-action="stop" @click=${() => { this.generation.stop(); }}>Stop</button>` : nothing}
        <span class="hint" id="message-hint">${awaitingReply ? 'Your last message has no reply yet: try again or edit it.' : 'Enter sends, Shift+Enter adds a line, Esc stops.'}</span>
        <span class="hint tokens" data-tokens=${String(used)}>≈ ${used.toLocaleString()} of ${window.toLocaleString()} tokens</span>
      </div>
    </div>`;
  }

  private renderSaveState() {
    const state = this.saveState;
    if (state.status === 'idle') return nothing;
    const pending = 'pending' in state ? state.pending : 0;
    const text =
      state.status === 'saving' ? 'Saving…'
      : state.status === 'saved' ? 'Saved'
      : state.status === 'readonly' ? 'Not saved: this page is read-only.'
      : state.status === 'offline' ? 'Not saved: no page to save to.'
      : `${pending} turn${pending === 1 ? '' : 's'} not saved yet${state.nextRetryAt ? ' — retrying' : ''}${state.lastError ? ` (${state.lastError.message})` : ''}.`;
    return html`<p class="status save-status" role="status" data-save=${state.status}>
      ${text}
      ${state.status === 'unsaved' && !state.nextRetryAt ? html`<button type="button" part="button" @click=${() => { this.turns.retryNow(); }}>Retry now</button>` : nothing}
    </p>`;
  }
}

function renderProvenance(provenance: Provenance) {
  if (!provenance.engineId && !provenance.modelId) return nothing;
  const seconds = provenance.durationMs !== undefined ? provenance.durationMs / 1000 : undefined;
  const parts = [
    provenance.modelId,
    provenance.outputTokens !== undefined ? `${provenance.outputTokens} tokens` : undefined,
    seconds !== undefined ? `${seconds.toFixed(1)} s` : undefined,
    provenance.completionStatus === 'stopped' ? 'stopped early' : provenance.completionStatus === 'error' ? 'ended with an error' : undefined,
  ].filter(Boolean);
  return html`<p class="provenance" part="provenance" data-status=${provenance.completionStatus ?? ''}>${parts.join(' · ')}</p>`;
}
