import { blockBaseStyles, enginePickerStyles, markdownStyles } from '@ai-blocks/ui';
import { css } from 'lit';

export const aiChatBlockStyles = [
  markdownStyles,
  blockBaseStyles,
  enginePickerStyles,
  css`
    section,
    .thread {
      grid-template-columns: minmax(0, 1fr);
    }
    section {
      display: grid;
      gap: 0.6rem;
    }
    .thread {
      display: grid;
      gap: 0.6rem;
      max-height: var(--ai-chat-max-height, 36rem);
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    .thread:empty {
      display: none;
    }
    .message {
      border: 1px solid var(--_border);
      border-radius: 10px;
      padding: 0.45rem 0.75rem;
      /* Off-screen messages skip layout and paint: long conversations stay smooth. */
      content-visibility: auto;
      contain-intrinsic-size: auto 6rem;
    }
    .message.user {
      background: var(--ai-chat-user-background, rgba(75, 63, 209, 0.07));
      margin-left: 2rem;
    }
    .message.assistant {
      margin-right: 2rem;
    }
    .message .body {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .message .body.markdown {
      white-space: normal;
    }
    .meta {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-size: 0.8em;
      color: var(--_muted);
    }
    .branches button {
      padding: 0 0.45rem;
    }
    .actions button {
      font-size: 0.8em;
      padding: 0.1rem 0.55rem;
    }
    .example {
      border: 1px dashed var(--_border);
      border-radius: 10px;
      padding: 0.5rem;
      display: grid;
      gap: 0.4rem;
    }
    .tokens {
      margin-left: auto;
    }
    textarea.system {
      min-height: 3em;
    }
  `,
];
