import { blockBaseStyles, enginePickerStyles } from '@ai-blocks/ui';
import { css } from 'lit';

export const aiImageBlockStyles = [
  blockBaseStyles,
  enginePickerStyles,
  css`
    label,
    .hint,
    .status {
      font-size: 0.85em;
    }
    textarea {
      min-height: 3.5em;
    }
    .grid {
      display: grid;
      /* Two thumbnails side by side on a phone (390 px), more on wider columns. */
      grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
      gap: 0.6rem;
      margin: 0.6rem 0;
    }
    figure {
      margin: 0;
      border: 1px solid var(--_border);
      border-radius: 8px;
      padding: 0.4rem;
    }
    figure img {
      width: 100%;
      height: auto;
      display: block;
      border-radius: 4px;
      cursor: zoom-in;
    }
    figure.selected {
      outline: 3px solid var(--_accent);
    }
    figcaption {
      font-size: 0.8em;
      display: flex;
      justify-content: space-between;
      gap: 0.3rem;
      align-items: center;
      margin-top: 0.3rem;
    }
    /* A kept image's provenance gets the card's width; Download goes under it. */
    figcaption.kept-caption {
      flex-direction: column;
      align-items: flex-start;
    }
    /* A thumbnail is a button: it opens the image large and gets the focus back after. */
    button.thumb {
      display: block;
      width: 100%;
      padding: 0;
      border: 0;
      border-radius: 4px;
      background: none;
    }
    dialog img {
      display: block;
      max-width: min(90vw, 1024px);
      max-height: 70vh;
    }
    .viewer-prompt {
      font-size: 1em;
      margin: 0 0 0.5rem;
      max-width: min(90vw, 1024px);
      overflow-wrap: anywhere;
    }
    .viewer-details {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.15rem 0.8rem;
      margin: 0.5rem 0;
      font-size: 0.85em;
    }
    .viewer-details dt {
      color: var(--_muted);
    }
    .viewer-details dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .refused-image {
      margin: 0;
      padding: 1.5rem 0.5rem;
      text-align: center;
      border: 1px dashed var(--_border);
      border-radius: 4px;
      font-size: 0.85em;
    }
  `,
];
