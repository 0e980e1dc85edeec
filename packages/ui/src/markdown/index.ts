export { MarkdownBlockSplitter, SOFT_BLOCK_CHARS } from './block-splitter.js';
export { createLazyHighlighter, MAX_HIGHLIGHT_CHARS, type HighlighterModule } from './highlight-code.js';
export { MARKDOWN_LIMITS, nestingDepth, refuseMarkdown, type MarkdownRefusal } from './markdown-limits.js';
export { markdownStyles } from './markdown-styles.js';
export { renderMarkdownBlock } from './render-markdown.js';
export { markdownView, markdownViewOf } from './markdown-view-directive.js';
export {
  StreamingMarkdownView,
  type CodeBlockHook,
  type StreamingMarkdownViewOptions,
} from './streaming-markdown-view.js';
export { TaskBudget } from './task-budget.js';
export {
  loadMarkdownRenderer,
  markdownRender,
  plainTextHtml,
  setMarkdownRenderer,
  whenMarkdownRendererReady,
  type MarkdownRender,
} from './markdown-renderer.js';
export { highlightCodeBlocks, loadRuntimeMarkdown } from './runtime-markdown.js';
