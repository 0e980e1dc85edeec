import { css } from 'lit';

/**
 * Styles for rendered Markdown inside a block's shadow root. Colours come from custom
 * properties so hosts can theme the blocks (light and dark).
 */
export const markdownStyles = css`
  .markdown {
    overflow-wrap: anywhere;
    line-height: 1.55;
  }
  .markdown .md-plain {
    white-space: pre-wrap;
  }
  /* A block off screen is not laid out: a reply of thousands of blocks costs only what is seen. */
  .markdown > .md-block {
    content-visibility: auto;
    contain-intrinsic-size: auto 1.5em;
  }
  .markdown > .md-block > :first-child {
    margin-top: 0;
  }
  .markdown h1,
  .markdown h2,
  .markdown h3 {
    line-height: 1.25;
    margin: 1em 0 0.5em;
  }
  .markdown h1 {
    font-size: 1.4em;
  }
  .markdown h2 {
    font-size: 1.25em;
  }
  .markdown h3 {
    font-size: 1.1em;
  }
  .markdown a {
    color: var(--ai-block-link-color, #2557d6);
  }
  .markdown code {
    font-family: var(--ai-block-code-font, ui-monospace, SFMono-Regular, Menlo, monospace);
    font-size: 0.92em;
    background: var(--ai-block-code-background, rgba(127, 127, 127, 0.14));
    border-radius: 4px;
    padding: 0.1em 0.3em;
  }
  .markdown pre {
    background: var(--ai-block-code-background, rgba(127, 127, 127, 0.14));
    border-radius: 6px;
    padding: 0.75em 1em;
    overflow-x: auto;
  }
  .markdown pre code {
    background: none;
    padding: 0;
  }
  .markdown table {
    border-collapse: collapse;
    margin: 0.5em 0;
  }
  .markdown th,
  .markdown td {
    border: 1px solid var(--ai-block-border-color, rgba(127, 127, 127, 0.35));
    padding: 0.3em 0.6em;
  }
  .markdown blockquote {
    border-left: 3px solid var(--ai-block-border-color, rgba(127, 127, 127, 0.35));
    margin: 0.5em 0;
    padding-left: 0.8em;
    color: var(--ai-block-muted-color, inherit);
  }
  .markdown .hljs-keyword,
  .markdown .hljs-built_in {
    color: var(--ai-block-code-keyword, #a626a4);
  }
  .markdown .hljs-string {
    color: var(--ai-block-code-string, #50a14f);
  }
  .markdown .hljs-number,
  .markdown .hljs-literal {
    color: var(--ai-block-code-number, #986801);
  }
  .markdown .hljs-comment {
    color: var(--ai-block-code-comment, #8a8f98);
    font-style: italic;
  }
  .markdown .hljs-title,
  .markdown .hljs-function {
    color: var(--ai-block-code-title, #4078f2);
  }
`;
