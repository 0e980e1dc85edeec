import { html, nothing, type TemplateResult } from 'lit';

/**
 * A model's loading progress (a download, a compile) as a progress bar with what is happening,
 * announced to screen readers; nothing before the engine has reported any.
 */
export function renderLoadProgress(
  progress: { fraction: number; text: string } | undefined,
): TemplateResult | typeof nothing {
  if (!progress) return nothing;
  return html`<div role="status">
    <progress max="1" .value=${progress.fraction} aria-label="Loading the model"></progress>
    <span class="hint">${progress.text}</span>
  </div>`;
}
