// AI Text's templates: what the element shows for the kept text, the editor, the prompt's settings
// and a finished run. Pure functions of the state they are given; the element wires the handlers.
import {
  GenerationStatus,
  highlightCodeBlocks,
  markdownView,
  renderErrorNotice,
  renderCopyButton,
  renderProvenanceLine,
  renderSamplingControls,
  type ErrorAction,
  type GenerationController,
} from '@ai-blocks/ui';
import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { TextOutputController } from './text-output.js';

const valueOf = (event: Event) => (event.target as HTMLInputElement | HTMLTextAreaElement).value;

/** What a person can do with the kept text; absent when the block is read-only. */
export interface KeptTextActions {
  onEdit: () => void;
  onRegenerate: () => void;
}

/** The kept text with its prompt and provenance, and Edit / Regenerate / Copy unless read-only. */
export function renderKeptText(view: TextOutputController['view'], actions?: KeptTextActions) {
  return html`${view.prompt ? html`<p class="hint prompt-line"><span>Prompt:</span> ${view.prompt}</p>` : nothing}
    <article class="output" part="output" aria-label="Saved text">
      <div class="markdown kept" ${markdownView(view.text, { onCodeBlock: highlightCodeBlocks })}></div>
    </article>
    ${renderProvenanceLine(view.provenance)}
    ${
      actions
        ? html`<div class="row">
            <button type="button" part="button" @click=${actions.onEdit}>Edit</button>
            <button type="button" part="button" @click=${actions.onRegenerate}>Regenerate…</button>
            ${renderCopyButton(view.text, 'Copy the saved text')}
          </div>`
        : nothing
    }`;
}

/** The Markdown editor for the kept text. */
export function renderTextEditor(output: TextOutputController) {
  return html`<div class="composer">
    <label for="edit-text">Text (Markdown)</label>
    <textarea
      id="edit-text"
      .value=${output.draftText}
      @input=${(event: Event) => output.set('draftText', valueOf(event))}
    ></textarea>
    <div class="row">
      <button type="button" class="primary" part="button" @click=${() => output.saveEdit()}>Save</button>
      <button type="button" part="button" @click=${() => output.cancelEdit()}>Cancel</button>
    </div>
  </div>`;
}

/** The prompt field (Ctrl+Enter runs `onSubmit`). */
export function renderPromptField(output: TextOutputController, onKeydown: (event: KeyboardEvent) => void) {
  return html`<label for="prompt">Prompt</label>
    <textarea
      id="prompt"
      part="prompt"
      .value=${output.prompt}
      placeholder="What should the AI write?"
      aria-describedby="prompt-hint"
      @input=${(event: Event) => output.set('prompt', valueOf(event))}
      @keydown=${onKeydown}
    ></textarea>
    <span class="hint" id="prompt-hint">Ctrl+Enter (⌘+Enter) generates; Esc stops.</span>`;
}

/** The system instruction and sampling controls, folded away by default. */
export function renderTextSettings(output: TextOutputController) {
  return html`<details>
    <summary>Settings</summary>
    <div class="composer">
      <label for="system">System instruction</label>
      <textarea
        id="system"
        .value=${output.systemPrompt}
        @input=${(event: Event) => output.set('systemPrompt', valueOf(event))}
      ></textarea>
      ${renderSamplingControls(output, (change) => output.setSampling(change))}
    </div>
  </details>`;
}

/** What a person can do with a finished run. */
export interface RunHandlers {
  onKeep: () => void;
  onDiscard: () => void;
  onErrorAction: (action: ErrorAction) => void;
}

/**
 * The run's answer (streamed into the element `attachStream` is given), then what ended it — stopped,
 * failed or complete — with its provenance and Keep / Discard / Copy.
 */
export function renderGeneratedText(
  generation: GenerationController<{ prompt: string }>,
  attachStream: (element: Element | undefined) => void,
  handlers: RunHandlers,
) {
  // A run that ended before writing anything shows only why: no empty box, no zero-second credit.
  const wrote = generation.busy || generation.text !== '';
  const finished = (note: unknown) => (run: typeof generation.lastRun) =>
    html`${note}${run && wrote ? renderProvenanceLine(run.provenance) : nothing}
    ${renderRunActions(generation.outcome?.text, handlers)}`;
  const stopped = wrote ? 'Stopped. The partial text is kept.' : 'Stopped before any text was written.';
  return html`${
    wrote
      ? html`<section
          class="output"
          part="output"
          aria-label="Generated text"
          aria-busy=${generation.busy ? 'true' : 'false'}
        >
          <div class="markdown generated" aria-live="polite" ${ref(attachStream)}></div>
          ${
            generation.status === GenerationStatus.STREAMING
              ? html`<span class="visually-hidden">Writing…</span>`
              : nothing
          }
        </section>`
      : nothing
  }
  ${
    generation.render({
      complete: finished(nothing),
      aborted: finished(html`<p class="status" role="status">${stopped}</p>`),
      error: (run, outcome) =>
        finished(outcome.error ? renderErrorNotice(outcome.error, handlers.onErrorAction) : nothing)(run),
    }) ?? nothing
  }`;
}

/** Keep / Discard / Copy under a finished run that produced text. */
function renderRunActions(text: string | undefined, handlers: RunHandlers) {
  if (!text) return nothing;
  return html`<div class="row">
    <button type="button" class="primary" part="button" data-action="keep" @click=${handlers.onKeep}>Keep</button>
    <button type="button" part="button" data-action="discard" @click=${handlers.onDiscard}>Discard</button>
    ${renderCopyButton(text, 'Copy the generated text')}
  </div>`;
}
