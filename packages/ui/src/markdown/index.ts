export { MarkdownBlockSplitter } from './block-splitter.js';
export { createLazyHighlighter, type HighlighterModule } from './highlight-code.js';
export { markdownStyles } from './markdown-styles.js';
export { renderMarkdownBlock } from './render-markdown.js';
export { StreamingMarkdownView, type CodeBlockHook } from './streaming-markdown-view.js';
export { loadMarkdownRenderer, markdownRender, plainTextHtml, setMarkdownRenderer, whenMarkdownRendererReady, type MarkdownRender } from './markdown-renderer.js';
