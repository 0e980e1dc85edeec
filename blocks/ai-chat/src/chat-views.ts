// AI Chat's templates: the settings above the thread, one message, the reply being written, the
// notices under the thread and the composer. Pure functions of what they are given; the element
// keeps the UI state (drafts, which message is edited) and wires the handlers.
import {
  GenerationStatus,
  markdownView,
  renderErrorNotice,
  renderLoadProgress,
  renderCopyButton,
  renderProvenanceLine,
  renderSamplingControls,
  type ErrorAction,
  type GenerationController,
} from '@ai-blocks/ui';
import { engineCredit, modelLabel } from '@ai-blocks/runtime';
import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { renderTrimmedNotice, renderVersionSwitch } from './chat-parts.js';
import type { ConversationController, Reply } from './conversation.js';
import { CUSTOM_PRESET_ID, SYSTEM_PROMPT_PRESETS } from './presets.js';
import type { ThreadNode } from './thread.js';

export const valueOf = (event: Event) =>
  (event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

/**
 * The assistant preset (or the person's own system prompt), sampling, and the model the
 * conversation last used when it is not the one the picker will use (`currentModelId`).
 */
export function renderChatSettings(
  conversation: ConversationController,
  busy: boolean,
  currentModelId: string | undefined,
) {
  const stored = conversation.storedSettings;
  return html`<div class="settings row">
      <label for="preset">Assistant</label>
      <select id="preset" ?disabled=${busy} @change=${(event: Event) => conversation.set('presetId', valueOf(event))}>
        ${SYSTEM_PROMPT_PRESETS.map(
          (preset) =>
            html`<option value=${preset.id} ?selected=${preset.id === conversation.presetId}>${preset.label}</option>`,
        )}
        <option value=${CUSTOM_PRESET_ID} ?selected=${conversation.presetId === CUSTOM_PRESET_ID}>Your own…</option>
      </select>
    </div>
    ${
      stored.modelId && stored.modelId !== currentModelId
        ? html`<p class="hint" data-stored-model>
            This conversation last used
            ${modelLabel(stored.modelId)}${stored.engineId ? ` — ${engineCredit(stored.engineId)}` : ''}.
          </p>`
        : nothing
    }
    ${
      conversation.presetId === CUSTOM_PRESET_ID
        ? html`<label for="system">System prompt</label>
            <textarea
              id="system"
              class="system"
              .value=${conversation.customSystemPrompt}
              @input=${(event: Event) => conversation.set('customSystemPrompt', valueOf(event))}
            ></textarea>`
        : nothing
    }
    <details>
      <summary>Settings</summary>
      ${renderSamplingControls(conversation, (change) => conversation.setSampling(change), {
        lengthLabel: 'Max reply length (tokens)',
      })}
    </details>`;
}

/** What one message shows and what a person can do with it. */
export interface MessageView {
  siblings: { index: number; keys: string[] };
  /** The message's number among the person's messages (or among the replies) of the branch shown. */
  ordinal: number;
  readonly: boolean;
  busy: boolean;
  /** The edit field's text while this message is being edited. */
  editDraft?: string;
  replyMarkdown: Parameters<typeof markdownView>[1];
  onStep: (step: -1 | 1) => void;
  onStartEdit: () => void;
  onEditInput: (text: string) => void;
  onEditKeydown: (event: KeyboardEvent) => void;
  onSaveEdit: () => void;
  onCancelEdit: () => void;
  onRegenerate: () => void;
}

/** One message: who wrote it, its versions, its text (or the edit field), provenance and actions. */
export function renderMessage(node: ThreadNode, view: MessageView) {
  const isUser = node.role === 'user';
  const editing = view.editDraft !== undefined;
  const who = isUser ? 'You' : 'AI';
  // "Copy reply 3": repeated buttons are told apart by screen readers.
  const which = `${isUser ? 'message' : 'reply'} ${String(view.ordinal)}`;
  // A message of the person's is edited into a new version; a reply is written again.
  const again = isUser
    ? { action: 'edit', label: 'Edit', run: view.onStartEdit }
    : { action: 'regenerate', label: 'Regenerate', run: view.onRegenerate };
  return html`<article
    class="message ${node.role}"
    part="message"
    data-key=${node.key}
    data-role=${node.role}
    aria-label=${who}
  >
    <div class="meta">
      <span class="who">${who}</span>
      ${renderVersionSwitch(view.siblings.index, view.siblings.keys.length, view.busy, view.onStep)}
    </div>
    ${
      editing
        ? html`<label class="visually-hidden" for="edit-${node.key}">Edit your message</label>
            <textarea
              id="edit-${node.key}"
              class="edit"
              .value=${view.editDraft ?? ''}
              @input=${(event: Event) => view.onEditInput(valueOf(event))}
              @keydown=${view.onEditKeydown}
            ></textarea>
            <div class="row">
              <button type="button" class="primary" part="button" data-action="save-edit" @click=${view.onSaveEdit}>
                Send as a new version
              </button>
              <button type="button" part="button" @click=${view.onCancelEdit}>Cancel</button>
            </div>`
        : isUser
          ? html`<div class="body">${node.text}</div>`
          : html`<div class="body markdown" ${markdownView(node.text, view.replyMarkdown)}></div>`
    }
    ${isUser ? nothing : renderProvenanceLine(node.provenance, { engine: false, speed: false })}
    ${
      view.readonly || editing
        ? nothing
        : html`<div class="actions row">
            ${renderCopyButton(node.text, `Copy ${which}`)}
            <button
              type="button"
              part="button"
              data-action=${again.action}
              aria-label="${again.label} ${which}"
              ?disabled=${view.busy}
              @click=${again.run}
            >
              ${again.label}
            </button>
          </div>`
    }
  </article>`;
}

/** The reply being written: load progress, then the text streaming into the element `attachStream` gets. */
export function renderStreamingReply(
  generation: GenerationController<Reply>,
  attachStream: (element: Element | undefined) => void,
) {
  const loading = generation.status === GenerationStatus.LOADING;
  return html`<article class="message assistant" part="message" data-role="assistant" data-streaming aria-label="AI">
    <div class="meta"><span class="who">AI</span></div>
    ${generation.render({ loading: renderLoadProgress }) ?? nothing}
    <div class="body markdown streaming" ${ref(attachStream)}></div>
    <span class="visually-hidden" role="status">${loading ? 'Loading the model…' : 'Writing…'}</span>
  </article>`;
}

/** Under the thread: history left out of the request, a reply stopped before it began, or an error. */
export function renderChatNotices(conversation: ConversationController, onErrorAction: (action: ErrorAction) => void) {
  const outcome = conversation.failure?.outcome;
  const errorNotice =
    outcome?.status === 'error' && outcome.error
      ? renderErrorNotice(outcome.error, onErrorAction, { retry: true })
      : nothing;
  return html`${renderTrimmedNotice(conversation.droppedNotice)}
  ${
    outcome?.status === 'aborted'
      ? html`<p class="status" role="status">
          Stopped before any reply.
          <button type="button" part="button" data-action="retry" @click=${() => onErrorAction('retry')}>
            Try again
          </button>
        </p>`
      : nothing
  }
  ${errorNotice}`;
}

/** The composer's state and handlers. */
export interface ComposerView {
  draft: string;
  busy: boolean;
  /** The last message is the person's and has no reply. */
  awaitingReply: boolean;
  canSend: boolean;
  usedTokens: number;
  contextWindow: number;
  onInput: (text: string) => void;
  onKeydown: (event: KeyboardEvent) => void;
  onSend: () => void;
  onStop: () => void;
  /** Starts a new conversation; absent while there is nothing to start anew from. */
  onNewConversation?: (() => void) | undefined;
  /** The engine and model choice, one line above the message field (as chat apps put it). */
  picker: unknown;
}

/** The message field, Send / Stop, the keyboard hint and the token meter. */
export function renderComposer(view: ComposerView) {
  const hint = view.awaitingReply
    ? 'Your last message has no reply yet: Try again, or send a new message in its place.'
    : 'Enter sends, Shift+Enter adds a line, Esc stops.';
  return html`<div class="composer" part="composer">
    ${view.picker}
    <label for="message">Message</label>
    <textarea
      id="message"
      .value=${view.draft}
      placeholder="Write a message"
      aria-describedby="message-hint"
      @input=${(event: Event) => view.onInput(valueOf(event))}
      @keydown=${view.onKeydown}
    ></textarea>
    <div class="row">
      <button
        type="button"
        class="primary"
        part="button"
        data-action="send"
        ?disabled=${!view.canSend}
        @click=${view.onSend}
      >
        Send
      </button>
      ${
        view.busy
          ? html`<button type="button" part="button" data-action="stop" @click=${view.onStop}>Stop</button>`
          : nothing
      }
      ${
        view.onNewConversation && !view.busy
          ? html`<button type="button" part="button" data-action="new-conversation" @click=${view.onNewConversation}>
              New conversation
            </button>`
          : nothing
      }
      <span class="hint" id="message-hint">${hint}</span>
      <span class="hint tokens" data-tokens=${String(view.usedTokens)}
        >≈ ${view.usedTokens.toLocaleString()} of ${view.contextWindow.toLocaleString()} tokens</span
      >
    </div>
  </div>`;
}
