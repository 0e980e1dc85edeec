import { html } from 'lit';

/**
 * A block as the Block Protocol Hub previews it: a note that says so, and every control of
 * `content` turned off (a disabled fieldset), since nothing done there could be kept or sent.
 * Outside the preview, `content` as it is.
 */
export function renderHubPreview(preview: boolean, content: unknown): unknown {
  if (!preview) return content;
  return html`<p class="status preview-note" role="note" data-preview>
      Preview: this is how the block looks on a page. Add it to a page to use it.
    </p>
    <fieldset class="preview" disabled>${content}</fieldset>`;
}
