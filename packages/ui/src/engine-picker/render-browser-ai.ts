import type { BuiltInAiState } from '@ai-blocks/runtime';
import { html, nothing, type TemplateResult } from 'lit';

/** What the browser-model part of the picker reads and calls (the text blocks' controller has it). */
export interface BrowserAiPicking {
  engineChoice: string;
  selection: { choice: string | undefined } | undefined;
  download: { modelId: string; progress: { fraction: number; text: string } } | undefined;
  downloadError: string | undefined;
  browserAiState?(): BuiltInAiState | undefined;
  downloadBrowserAi?(): void;
}

/**
 * When Chrome's built-in model is chosen but not yet on the device: a Download button (Chrome
 * starts its download only from a click), then Chrome's own progress.
 */
export function renderBrowserAi(controller: BrowserAiPicking, busy: boolean): TemplateResult | typeof nothing {
  const chosen = controller.engineChoice === 'browser-ai' || controller.selection?.choice === 'browser-ai';
  if (!chosen || !controller.downloadBrowserAi) return nothing;
  const download = controller.download?.modelId === 'browser-ai' ? controller.download.progress : undefined;
  const state = controller.browserAiState?.();
  const error = controller.downloadError
    ? html`<p class="status" role="alert" data-browser-ai-error>${controller.downloadError}</p>`
    : nothing;
  if (download)
    return html`<div role="status" class="download" data-browser-ai-download>
      <progress max="1" .value=${download.fraction} aria-label="Chrome is downloading its model"></progress>
      <span class="hint">${download.text} — ${Math.round(download.fraction * 100)}%</span>
    </div>`;
  if (state !== 'downloadable' && state !== 'downloading') return error;
  return html`<div class="row">
      <button
        type="button"
        part="button"
        data-action="download-browser-ai"
        ?disabled=${busy}
        @click=${() => {
          controller.downloadBrowserAi?.();
        }}
      >
        Download Chrome’s model
      </button>
      <span class="hint"
        >${
          state === 'downloading'
            ? 'Chrome is downloading it already; click to follow its progress.'
            : 'Chrome downloads it once, for every site.'
        }</span
      >
    </div>
    ${error}`;
}
