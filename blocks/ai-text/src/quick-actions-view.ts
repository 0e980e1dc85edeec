import { html, nothing, type TemplateResult } from 'lit';
import { QUICK_ACTIONS, type QuickActionsController } from './quick-actions.js';
import type { TextRun } from './text-output.js';

const SOURCES = {
  Summarizer: 'Chrome’s Summarizer',
  Rewriter: 'Chrome’s Rewriter',
  Writer: 'Chrome’s Writer',
  engine: 'the chosen engine',
} as const;

/**
 * The quick actions under the kept text (summarise, shorter, longer, tone), and the result of
 * the last one with Stop while it runs, then Keep (it replaces the kept text) or Discard.
 */
export function renderQuickActions(
  actions: QuickActionsController,
  output: { view: { text: string; prompt: string }; keep(run: TextRun): void },
): TemplateResult {
  const { status, source } = actions;
  const finished = status === 'complete' || status === 'aborted';
  return html`<div class="quick-actions" part="quick-actions">
    <div class="row" role="group" aria-label="Quick actions">
      ${QUICK_ACTIONS.map(
        ({ id, label }) =>
          html`<button
            type="button"
            part="button"
            data-action=${`quick-${id}`}
            ?disabled=${actions.busy || !output.view.text}
            @click=${() => void actions.run(id, output.view.text)}
          >
            ${label}
          </button>`,
      )}
    </div>
    ${
      status === 'idle'
        ? nothing
        : html`<div class="quick-result" data-status=${status} aria-live="polite">
            ${source ? html`<p class="hint" data-source=${source}>By ${SOURCES[source]}</p>` : nothing}
            <p class="quick-text" style="white-space: pre-wrap">${actions.text}</p>
            ${actions.error ? html`<p class="status" role="alert" part="error">${actions.error.message}</p>` : nothing}
            <div class="row">
              ${
                actions.busy
                  ? html`<button type="button" part="button" data-action="quick-stop" @click=${() => actions.stop()}>
                      Stop
                    </button>`
                  : nothing
              }
              ${
                finished && actions.text
                  ? html`<button
                      type="button"
                      part="button"
                      data-action="quick-keep"
                      @click=${() => {
                        output.keep({
                          prompt: output.view.prompt,
                          text: actions.text,
                          provenance: actions.provenance(),
                        });
                        actions.reset();
                      }}
                    >
                      Keep
                    </button>`
                  : nothing
              }
              ${
                actions.busy
                  ? nothing
                  : html`<button
                      type="button"
                      part="button"
                      data-action="quick-discard"
                      @click=${() => actions.reset()}
                    >
                      Discard
                    </button>`
              }
            </div>
          </div>`
    }
  </div>`;
}
