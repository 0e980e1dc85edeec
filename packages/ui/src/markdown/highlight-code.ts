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
 * Code blocks wait in one queue and are highlighted a few at a time, in tasks of their own
 * (never in the frame that rendered them, which has its own budget).
 */
export function createLazyHighlighter(load: () => Promise<HighlighterModule>): CodeBlockHook {
  let module: Promise<HighlighterModule | undefined> | undefined;
  const queue: HTMLElement[] = [];
  let scheduled = false;
  const work = (highlighter: HighlighterModule) => {
    scheduled = false;
    const deadline = performance.now() + TASK_BUDGET_MS;
    while (queue.length > 0 && performance.now() < deadline) {
      const element = queue.shift() as HTMLElement;
      if (
        element.isConnected &&
        !element.hasAttribute('data-highlighted') &&
        element.textContent.length <= MAX_HIGHLIGHT_CHARS
      )
        highlighter.highlightElement(element);
    }
    if (queue.length > 0) schedule(highlighter);
  };
  const schedule = (highlighter: HighlighterModule) => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      work(highlighter);
    }, 0);
  };
  return (block) => {
    queue.push(...block.querySelectorAll<HTMLElement>('pre code'));
    module ??= load().catch(() => undefined);
    void module.then((highlighter) => {
      if (highlighter) schedule(highlighter);
      else queue.length = 0; // code stays plain
    });
  };
}
