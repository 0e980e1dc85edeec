// The Markdown renderer asset (marked + DOMPurify): built into the runtime assets and loaded on
// first use through loadMarkdownRenderer, never bundled into a block's main file.
export { renderMarkdownBlock } from './render-markdown.js';
