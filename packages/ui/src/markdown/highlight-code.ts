import type { CodeBlockHook } from './streaming-markdown-view.js';

/** What the lazily loaded highlighter module provides (see highlight-entry.ts). */
export interface HighlighterModule {
  highlightElement(element: HTMLElement): void;
}

/**
 * A code-block hook that loads the highlighter the first time a finished block contains code,
 * so answers without code never pay for it. A failed load leaves code plain (still readable).
 */
export function createLazyHighlighter(load: () => Promise<HighlighterModule>): CodeBlockHook {
  let module: Promise<HighlighterModule | undefined> | undefined;
  return (block) => {
    module ??= load().catch(() => undefined);
    void module.then((highlighter) => {
      if (!highlighter) return;
      for (const code of block.querySelectorAll<HTMLElement>('pre code')) {
        highlighter.highlightElement(code);
      }
    });
  };
}
