import type { CodeBlockHook } from './streaming-markdown-view.js';

/** What the lazily loaded highlighter module provides (see highlight-entry.ts). */
export interface HighlighterModule {
  highlightElement(element: HTMLElement): void;
}

/** Code longer than this stays plain: highlighting it would hold the page for too long. */
export const MAX_HIGHLIGHT_CHARS = 20_000;
/** Most time (ms) one task spends highlighting; the rest continues in a later task. */
const TASK_BUDGET_MS = 10;

/**
 * A code-block hook that loads the highlighter the first time a finished block contains code,
 * so answers without code never pay for it. A failed load leaves code plain (still readable).
 * Many code blocks are highlighted a few at a time, in separate tasks.
 */
export function createLazyHighlighter(load: () => Promise<HighlighterModule>): CodeBlockHook {
  let module: Promise<HighlighterModule | undefined> | undefined;
  return (block) => {
    module ??= load().catch(() => undefined);
    void module.then((highlighter) => {
      if (highlighter) highlightSome(highlighter, [...block.querySelectorAll<HTMLElement>('pre code')]);
    });
  };
}

function highlightSome(highlighter: HighlighterModule, elements: HTMLElement[]): void {
  const deadline = performance.now() + TASK_BUDGET_MS;
  let index = 0;
  while (index < elements.length && performance.now() < deadline) {
    const element = elements[index] as HTMLElement;
    index += 1;
    if (element.isConnected && element.textContent.length <= MAX_HIGHLIGHT_CHARS) highlighter.highlightElement(element);
  }
  if (index < elements.length) {
    setTimeout(() => {
      highlightSome(highlighter, elements.slice(index));
    }, 0);
  }
}
