import { AiError, streamText, type BlockEngineSettings, type TextEngine } from '@ai-blocks/runtime';
import {
  EngineChoiceController,
  EscapeStopsController,
  focusForErrorAction,
  GenerationController,
  highlightCodeBlocks,
  loadRuntimeMarkdown,
  renderEnginePicker,
  renderHubPreview,
  renderSaveStatus,
  StreamingMarkdownView,
  type ErrorAction,
} from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { aiChatBlockStyles } from './ai-chat-block.styles.js';
import { renderExampleExchange } from './chat-parts.js';
import {
  renderChatNotices,
  renderChatSettings,
  renderComposer,
  renderMessage,
  renderStreamingReply,
} from './chat-views.js';
import { ConversationController, type Reply } from './conversation.js';
import { restoreEngineChoice } from './engine-restore.js';
import { contextWindowFor } from './presets.js';
import type { ThreadNode } from './thread.js';
import { ThreadFollower } from './thread-follower.js';

/** Engine settings from the host or the person, plus the model's context window where known. */
export type AiChatSettings = BlockEngineSettings & { contextWindow?: number };

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
    editingKey: { state: true },
    editDraft: { state: true },
  };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: AiChatSettings = {};

  protected draft = '';
  protected editingKey: string | undefined;
  protected editDraft = '';

  /** Engine and model choice, with the reasons and the model picker's state. */
  private readonly engines = new EngineChoiceController(this, () => this.settings);
  private readonly generation = new GenerationController<Reply>(this, {
    onDelta: (delta) => this.streamingView?.append(delta),
    onFinish: () => this.streamingView?.end(),
  });
  /** The conversation, its branches and settings, and how its turns are saved. */
  private readonly conversation = new ConversationController(
    this,
    { graph: () => this.graph, graphModule: () => this.graphModule },
    {
      busy: () => this.generation.busy,
      restoreEngine: (settings) => restoreEngineChoice(this.engines, settings),
    },
  );
  /** How saved replies render (markdownView: a long one over several frames, its view kept with its element). */
  private readonly replyMarkdown = {
    onCodeBlock: highlightCodeBlocks,
    onRendered: () => this.follower.schedule(),
  };
  private readonly follower = new ThreadFollower(this, () => this.renderRoot.querySelector<HTMLElement>('.thread'));
  private streamingView: StreamingMarkdownView | undefined;
  /** The thread version last shown (its code is highlighted once per change). */
  private shownVersion = -1;

  constructor() {
    super();
    new EscapeStopsController(this, this.generation);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Replies shown as plain text until the renderer loads re-render themselves (markdownView).
    void loadRuntimeMarkdown();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('settings')) void this.engines.refresh();
  }

  protected override updated(): void {
    // Replies shown anew may hold code: highlight what is not yet (only when the thread changed).
    if (this.shownVersion === this.conversation.version) return;
    this.shownVersion = this.conversation.version;
    const thread = this.renderRoot.querySelector<HTMLElement>('.thread');
    if (thread?.querySelector('pre code:not([data-highlighted])')) highlightCodeBlocks(thread);
  }

  /** The reply being written streams into this element (a ref: reply content cannot pose as it). */
  private readonly attachStream = (element: Element | undefined): void => {
    if (!(element instanceof HTMLElement) || this.streamingView?.element === element) return;
    this.streamingView = new StreamingMarkdownView(element, { onCodeBlock: highlightCodeBlocks });
    this.streamingView.setText(this.generation.text);
  };

  /** Writes a reply to `requestKey` with the engine chosen, then keeps it in the conversation. */
  private async handleReply(requestKey: string | undefined): Promise<void> {
    const engineId = this.engines.selection?.choice;
    // A large model is downloaded only once the person agreed (the picker asks, then replies).
    if (requestKey !== undefined && !this.engines.allowsRun(() => void this.handleReply(requestKey))) return;
    const reply = requestKey !== undefined && engineId ? this.conversation.startReply(requestKey) : undefined;
    if (!reply || !engineId) return;
    let engine: TextEngine;
    try {
      engine = this.engines.engine(engineId);
    } catch (error) {
      this.conversation.finishReply(reply, {
        outcome: { status: 'error', text: '', error: AiError.from(error).toJSON() },
      });
      return;
    }
    // A model that refuses the history as too long (the estimate was off) is asked again with
    // the oldest turn left out, while there is one to leave out; the notice says how many.
    let minDropped = 0;
    let sent = 0;
    let run;
    for (;;) {
      run = await this.generation.run(
        engine,
        (abortSignal) => {
          const { temperature } = this.conversation;
          const window = contextWindowFor(this.settings.contextWindow, this.engines, engine);
          const { messages, system, maxOutputTokens } = this.conversation.request(reply, window, minDropped);
          sent = messages.length;
          const sampling = { temperature, maxOutputTokens, abortSignal };
          return streamText({ engine, messages, ...(system ? { system } : {}), ...sampling });
        },
        // The model may have been downloaded just now: other pickers on the page should say so.
        { meta: reply, onLoaded: () => this.engines.announceModelsChanged() },
      );
      const tooLong = run?.outcome.error?.code === 'INPUT_TOO_LONG' && !run.outcome.text;
      if (!tooLong || sent <= 1) break;
      minDropped = this.conversation.droppedNotice + 1;
    }
    if (!run) return;
    this.conversation.finishReply(reply, run);
    if (run.outcome.text) this.generation.reset();
  }

  private handleSend(): void {
    const requestKey = this.conversation.send(this.draft);
    if (requestKey === undefined) return;
    this.draft = '';
    this.follower.resume();
    void this.handleReply(requestKey);
  }

  private handleSaveEdit(node: ThreadNode): void {
    this.editingKey = undefined;
    void this.handleReply(this.conversation.edit(node, this.editDraft));
  }

  private handleRegenerate(response: ThreadNode): void {
    void this.handleReply(this.conversation.regenerate(response));
  }

  private handleComposerKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    this.handleSend();
  }

  private handleEditKeydown(event: KeyboardEvent, node: ThreadNode): void {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.handleSaveEdit(node);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      this.editingKey = undefined;
    }
  }

  private handleErrorAction(action: ErrorAction): void {
    const failed = this.conversation.failure;
    if (action === 'retry') {
      if (failed) void this.handleReply(failed.requestKey);
    } else focusForErrorAction(this.renderRoot, action, '#message');
  }

  override render() {
    const { conversation, generation } = this;
    const readonly = conversation.entities.readonly;
    const busy = generation.busy;
    const streamingKey = busy ? conversation.replying?.responseKey : undefined;
    const shown = streamingKey ? conversation.path.filter((node) => node.key !== streamingKey) : conversation.path;
    const pending = 'pending' in conversation.saveState ? conversation.saveState.pending : 0;
    const content = html`
      ${
        conversation.entities.standalone
          ? html`<p class="status" role="status">
              This block is not connected to a page that saves it: the conversation stays here until you leave.
            </p>`
          : nothing
      }
      ${readonly ? nothing : renderChatSettings(conversation, busy, this.engines.activeLocalModel()?.id)}
      ${
        conversation.path.length > 0
          ? nothing
          : readonly
            ? html`<p class="status">No messages yet.</p>`
            : renderExampleExchange(conversation.entities.hubPreview)
      }
      <div
        class="thread"
        part="thread"
        role="log"
        aria-label="Conversation"
        aria-busy=${busy ? 'true' : 'false'}
        @scroll=${this.follower.handleScroll}
      >
        ${guard([conversation.version, this.editingKey, readonly, busy], () =>
          repeat(
            shown,
            (node) => node.key,
            (node) => this.renderMessage(node, readonly, busy),
          ),
        )}
        ${streamingKey ? renderStreamingReply(generation, this.attachStream) : nothing}
      </div>
      ${renderChatNotices(conversation, (action) => this.handleErrorAction(action))}
      ${readonly ? nothing : this.renderComposer()}
      ${renderSaveStatus(conversation.saveState, () => conversation.retrySave(), {
        unsaved: `${pending} turn${pending === 1 ? '' : 's'} not saved yet`,
      })}
    `;
    return html`<section aria-label="AI Chat">${renderHubPreview(conversation.entities.hubPreview, content)}</section>`;
  }

  private renderMessage(node: ThreadNode, readonly: boolean, busy: boolean) {
    const sameRole = this.conversation.path.filter((shown) => shown.role === node.role);
    return renderMessage(node, {
      siblings: this.conversation.siblings(node),
      ordinal: sameRole.indexOf(node) + 1,
      readonly,
      busy,
      ...(this.editingKey === node.key ? { editDraft: this.editDraft } : {}),
      replyMarkdown: this.replyMarkdown,
      onStep: (step) => this.conversation.showSibling(node, step),
      onStartEdit: () => {
        this.editDraft = node.text;
        this.editingKey = node.key;
      },
      onEditInput: (text) => (this.editDraft = text),
      onEditKeydown: (event) => this.handleEditKeydown(event, node),
      onSaveEdit: () => this.handleSaveEdit(node),
      onCancelEdit: () => (this.editingKey = undefined),
      onRegenerate: () => this.handleRegenerate(node),
    });
  }

  private renderComposer() {
    const busy = this.generation.busy;
    const awaitingReply = !busy && this.conversation.last?.role === 'user';
    return renderComposer({
      draft: this.draft,
      busy,
      awaitingReply,
      canSend: !busy && this.draft.trim() !== '' && Boolean(this.engines.selection?.choice),
      usedTokens: this.conversation.usedTokens,
      contextWindow: contextWindowFor(this.settings.contextWindow, this.engines),
      onInput: (text) => (this.draft = text),
      onKeydown: (event) => this.handleComposerKeydown(event),
      onSend: () => this.handleSend(),
      onStop: () => this.generation.stop(),
      onNewConversation: this.conversation.path.length > 0 ? () => this.conversation.startNew() : undefined,
      picker: renderEnginePicker(this.engines, { busy }),
    });
  }
}
