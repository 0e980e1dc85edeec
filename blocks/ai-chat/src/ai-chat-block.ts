import { AiError, streamText, type BlockEngineSettings, type TextEngine } from '@ai-blocks/runtime';
import {
  copyText,
  EngineChoiceController,
  EscapeStopsController,
  focusForErrorAction,
  GenerationController,
  GenerationStatus,
  highlightCodeBlocks,
  loadRuntimeMarkdown,
  markdownView,
  renderEnginePicker,
  renderErrorNotice,
  renderLoadProgress,
  renderProvenanceLine,
  renderSamplingControls,
  renderSaveStatus,
  StreamingMarkdownView,
  type ErrorAction,
} from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { aiChatBlockStyles } from './ai-chat-block.styles.js';
import { renderExampleExchange, renderTrimmedNotice, renderVersionSwitch } from './chat-parts.js';
import { ConversationController, type Reply } from './conversation.js';
import { restoreEngineChoice } from './engine-restore.js';
import { contextWindowFor, CUSTOM_PRESET_ID, SYSTEM_PROMPT_PRESETS } from './presets.js';
import type { ThreadNode } from './thread.js';
import { ThreadFollower } from './thread-follower.js';

/** Engine settings from the host or the person, plus the model's context window where known. */
export type AiChatSettings = BlockEngineSettings & { contextWindow?: number };

const valueOf = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

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
      restoreEngine: (settings) => {
        restoreEngineChoice(this.engines, settings);
      },
    },
  );
  /** How saved replies render (markdownView: a long one over several frames, its view kept with its element). */
  private readonly replyMarkdown = {
    onCodeBlock: highlightCodeBlocks,
    onRendered: () => {
      this.follower.schedule();
    },
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
    const run = await this.generation.run(
      engine,
      (abortSignal) => {
        const { temperature, maxOutputTokens } = this.conversation;
        const { messages, system } = this.conversation.request(
          reply,
          contextWindowFor(this.settings.contextWindow, this.engines, engine),
        );
        return streamText({
          engine,
          messages,
          ...(system ? { system } : {}),
          temperature,
          maxOutputTokens,
          abortSignal,
        });
      },
      // The model may have been downloaded just now: other pickers on the page should say so.
      {
        meta: reply,
        onLoaded: () => {
          this.engines.announceModelsChanged();
        },
      },
    );
    if (!run) return;
    this.conversation.finishReply(reply, run);
    if (run.outcome.text) this.generation.reset();
  }

  private handleSend(): void {
    const requestKey = this.conversation.send(this.draft);
    if (requestKey === undefined) return;
    this.draft = '';
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
    const { conversation } = this;
    const readonly = conversation.entities.readonly;
    const busy = this.generation.busy;
    const streamingKey = busy ? conversation.replying?.responseKey : undefined;
    const shown = streamingKey ? conversation.path.filter((node) => node.key !== streamingKey) : conversation.path;
    const pending = 'pending' in conversation.saveState ? conversation.saveState.pending : 0;
    return html`<section aria-label="AI Chat">
      ${conversation.entities.standalone ? html`<p class="status" role="status">This block is not connected to a page that saves it: the conversation stays here until you leave.</p>` : nothing}
      ${readonly ? nothing : this.renderSettings()}
      ${conversation.path.length > 0 ? nothing : readonly ? html`<p class="status">No messages yet.</p>` : renderExampleExchange()}
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
        ${streamingKey ? this.renderStreaming() : nothing}
      </div>
      ${this.renderNotices()} ${readonly ? nothing : this.renderComposer()}
      ${renderSaveStatus(
        conversation.saveState,
        () => {
          conversation.retrySave();
        },
        { unsaved: `${pending} turn${pending === 1 ? '' : 's'} not saved yet` },
      )}
    </section>`;
  }

  private renderSettings() {
    const { conversation } = this;
    const busy = this.generation.busy;
    const stored = conversation.storedSettings;
    return html`${renderEnginePicker(this.engines, { busy })}
      <div class="settings row">
        <label for="preset">Assistant</label>
        <select
          id="preset"
          ?disabled=${busy}
          @change=${(event: Event) => {
            conversation.set('presetId', valueOf(event));
          }}
        >
          ${SYSTEM_PROMPT_PRESETS.map((preset) => html`<option value=${preset.id} ?selected=${preset.id === conversation.presetId}>${preset.label}</option>`)}
          <option value=${CUSTOM_PRESET_ID} ?selected=${conversation.presetId === CUSTOM_PRESET_ID}>Your own…</option>
        </select>
      </div>
      ${stored.modelId ? html`<p class="hint" data-stored-model>This conversation last used ${stored.modelId}${stored.engineId ? ` (${stored.engineId})` : ''}.</p>` : nothing}
      ${
        conversation.presetId === CUSTOM_PRESET_ID
          ? html`<label for="system">System prompt</label>
              <textarea
                id="system"
                class="system"
                .value=${conversation.customSystemPrompt}
                @input=${(event: Event) => {
                  conversation.set('customSystemPrompt', valueOf(event));
                }}
              ></textarea>`
          : nothing
      }
      <details>
        <summary>Settings</summary>
        ${renderSamplingControls(
          conversation,
          (change) => {
            conversation.setSampling(change);
          },
          { lengthLabel: 'Max reply length (tokens)' },
        )}
      </details>`;
  }

  private renderMessage(node: ThreadNode, readonly: boolean, busy: boolean) {
    const { index, keys } = this.conversation.siblings(node);
    const isUser = node.role === 'user';
    const editing = this.editingKey === node.key;
    return html`<article
      class="message ${node.role}"
      part="message"
      data-key=${node.key}
      data-role=${node.role}
      aria-label=${isUser ? 'You' : 'AI'}
    >
      <div class="meta">
        <span class="who">${isUser ? 'You' : 'AI'}</span>
        ${renderVersionSwitch(index, keys.length, busy, (step) => {
          this.conversation.showSibling(node, step);
        })}
      </div>
      ${
        editing
          ? html`<label class="visually-hidden" for="edit-${node.key}">Edit your message</label>
              <textarea
                id="edit-${node.key}"
                class="edit"
                .value=${this.editDraft}
                @input=${(event: Event) => {
                  this.editDraft = valueOf(event);
                }}
                @keydown=${(event: KeyboardEvent) => {
                  this.handleEditKeydown(event, node);
                }}
              ></textarea>
              <div class="row">
                <button
                  type="button"
                  class="primary"
                  part="button"
                  data-action="save-edit"
                  @click=${() => {
                    this.handleSaveEdit(node);
                  }}
                >
                  Send as a new version
                </button>
                <button
                  type="button"
                  part="button"
                  @click=${() => {
                    this.editingKey = undefined;
                  }}
                >
                  Cancel
                </button>
              </div>`
          : isUser
            ? html`<div class="body">${node.text}</div>`
            : html`<div class="body markdown" ${markdownView(node.text, this.replyMarkdown)}></div>`
      }
      ${isUser ? nothing : renderProvenanceLine(node.provenance, { engine: false, speed: false })}
      ${
        readonly || editing
          ? nothing
          : html`<div class="actions row">
              <button type="button" part="button" data-action="copy" @click=${() => void copyText(node.text)}>
                Copy
              </button>
              ${
                isUser
                  ? html`<button
                      type="button"
                      part="button"
                      data-action="edit"
                      ?disabled=${busy}
                      @click=${() => {
                        this.editDraft = node.text;
                        this.editingKey = node.key;
                      }}
                    >
                      Edit
                    </button>`
                  : html`<button
                      type="button"
                      part="button"
                      data-action="regenerate"
                      ?disabled=${busy}
                      @click=${() => {
                        this.handleRegenerate(node);
                      }}
                    >
                      Regenerate
                    </button>`
              }
            </div>`
      }
    </article>`;
  }

  private renderStreaming() {
    const loading = this.generation.status === GenerationStatus.LOADING;
    return html`<article class="message assistant" part="message" data-role="assistant" data-streaming aria-label="AI">
      <div class="meta"><span class="who">AI</span></div>
      ${this.generation.render({ loading: renderLoadProgress }) ?? nothing}
      <div class="body markdown streaming" ${ref(this.attachStream)}></div>
      <span class="visually-hidden" role="status">${loading ? 'Loading the model…' : 'Writing…'}</span>
    </article>`;
  }

  private renderNotices() {
    const { droppedNotice, failure } = this.conversation;
    const outcome = failure?.outcome;
    return html`${renderTrimmedNotice(droppedNotice)}
    ${
      outcome?.status === 'aborted'
        ? html`<p class="status" role="status">
            Stopped before any reply.
            <button
              type="button"
              part="button"
              data-action="retry"
              @click=${() => {
                this.handleErrorAction('retry');
              }}
            >
              Try again
            </button>
          </p>`
        : nothing
    }
    ${
      outcome?.status === 'error' && outcome.error
        ? renderErrorNotice(outcome.error, (action) => {
            this.handleErrorAction(action);
          })
        : nothing
    }`;
  }

  private renderComposer() {
    const busy = this.generation.busy;
    const awaitingReply = !busy && this.conversation.last?.role === 'user';
    const used = this.conversation.usedTokens;
    const window = contextWindowFor(this.settings.contextWindow, this.engines);
    return html`<div class="composer" part="composer">
      <label for="message">Message</label>
      <textarea
        id="message"
        .value=${this.draft}
        placeholder="Write a message"
        aria-describedby="message-hint"
        @input=${(event: Event) => {
          this.draft = valueOf(event);
        }}
        @keydown=${(event: KeyboardEvent) => {
          this.handleComposerKeydown(event);
        }}
      ></textarea>
      <div class="row">
        <button
          type="button"
          class="primary"
          part="button"
          data-action="send"
          ?disabled=${busy || awaitingReply || !this.draft.trim() || !this.engines.selection?.choice}
          @click=${() => {
            this.handleSend();
          }}
        >
          Send
        </button>
        ${
          busy
            ? html`<button
                type="button"
                part="button"
                data-action="stop"
                @click=${() => {
                  this.generation.stop();
                }}
              >
                Stop
              </button>`
            : nothing
        }
        <span class="hint" id="message-hint"
          >${awaitingReply ? 'Your last message has no reply yet: try again or edit it.' : 'Enter sends, Shift+Enter adds a line, Esc stops.'}</span
        >
        <span class="hint tokens" data-tokens=${String(used)}
          >≈ ${used.toLocaleString()} of ${window.toLocaleString()} tokens</span
        >
      </div>
    </div>`;
  }
}
