import { css } from 'lit';

/**
 * The look the blocks share: font and colours from the host page and CSS custom properties,
 * form controls, buttons, notices, progress and a visually-hidden helper.
 */
export const blockBaseStyles = css`
  /*
   * Colours follow the host page: the text colour is inherited and the background stays the
   * page's, so a block is as readable as the page around it in either colour scheme (a block
   * that switched its own text colour with prefers-color-scheme was unreadable on a light page
   * in the dark scheme). Muted text and borders are mixed from the inherited colour. A host that
   * wants its own colours sets --ai-block-color and --ai-block-background together.
   */
  :host {
    display: block;
    min-width: 0;
    max-width: 100%;
    box-sizing: border-box;
    font: var(--ai-block-font, 15px/1.5 system-ui, sans-serif);
    color: var(--ai-block-color);
    background: var(--ai-block-background);
    --_border: var(--ai-block-border-color, color-mix(in srgb, currentColor 35%, transparent));
    --_accent: var(--ai-block-accent, #4b3fd1);
    --_muted: var(--ai-block-muted-color, color-mix(in srgb, currentColor 78%, transparent));
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  label {
    font-size: 0.85em;
    color: var(--_muted);
  }
  textarea,
  select,
  input {
    font: inherit;
    color: inherit;
    background: var(--ai-block-input-background, transparent);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.4rem 0.5rem;
    /* A select is as wide as its longest option unless told otherwise. */
    max-width: 100%;
    min-width: 0;
    box-sizing: border-box;
  }
  option {
    /* The open list is drawn by the browser on its own surface: give it both colours. */
    color: CanvasText;
    background: Canvas;
  }
  textarea {
    width: 100%;
    box-sizing: border-box;
    min-height: 4.5em;
    resize: vertical;
  }
  button {
    font: inherit;
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.35rem 0.8rem;
    background: var(--ai-block-button-background, transparent);
    color: inherit;
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--ai-block-accent-contrast, #fff);
  }
  /* A Copy button says "Copied" for a moment (copy-text.ts). */
  button[data-copied] > .copy-label {
    display: none;
  }
  button[data-copied]::after {
    content: 'Copied';
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .composer {
    display: grid;
    /* One column as wide as the block, never as wide as the widest control in it. */
    grid-template-columns: minmax(0, 1fr);
    gap: 0.5rem;
  }
  .hint,
  .provenance,
  .status {
    font-size: 0.82em;
    color: var(--_muted);
  }
  /* The hub preview's disabled fieldset (renderHubPreview) lays its content out as the block does. */
  fieldset.preview {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.5rem;
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  .output {
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
    margin-top: 0.6rem;
  }
  .error-notice {
    border: 1px solid #c4362c;
    border-radius: 8px;
    padding: 0.5rem 0.75rem;
    margin-top: 0.6rem;
  }
  .error-detail {
    margin: 0.25rem 0;
  }
  progress {
    width: 100%;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
