import { importModule, runtimeAssetUrl } from '@ai-blocks/runtime';
import { createLazyHighlighter, type HighlighterModule } from './highlight-code.js';
import { loadMarkdownRenderer } from './markdown-renderer.js';

/**
 * Highlights code blocks with the highlighter runtime asset, loaded the first time a block
 * with code appears (one per bundle, so every view of a block shares it).
 */
export const highlightCodeBlocks = createLazyHighlighter(() =>
  importModule<HighlighterModule>(runtimeAssetUrl('highlight.js')),
);

/** Loads the Markdown renderer runtime asset (it would double a block's main file); text shows escaped until then. */
export function loadRuntimeMarkdown(): Promise<void> {
  return loadMarkdownRenderer(() => importModule(runtimeAssetUrl('markdown.js')));
}
