/** Turns one Markdown block into sanitised HTML. */
export type MarkdownRender = (source: string) => string;

let current: MarkdownRender | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

/**
 * The Markdown renderer (marked + DOMPurify, ~25 KB gzipped) is a runtime asset, loaded on
 * first use, so a block's main file stays small. Until it arrives, views show the text as
 * plain, escaped text, then re-render when it is installed.
 */
export function markdownRender(): MarkdownRender | undefined {
  return current;
}

/** Installs the renderer (the loader does; tests pass `renderMarkdownBlock`) and tells waiting views. */
export function setMarkdownRenderer(render: MarkdownRender): void {
  current = render;
  for (const listener of [...listeners]) listener();
}

/** Loads the renderer once; a failed load is retried on the next call. */
export function loadMarkdownRenderer(load: () => Promise<{ renderMarkdownBlock: MarkdownRender }>): Promise<void> {
  if (current) return Promise.resolve();
  loading ??= load().then(
    (module) => {
      setMarkdownRenderer(module.renderMarkdownBlock);
    },
    () => {
      loading = undefined;
    },
  );
  return loading;
}

/** Calls `listener` once the renderer is installed; returns an unsubscribe function. */
export function whenMarkdownRendererReady(listener: () => void): () => void {
  const once = () => {
    listeners.delete(once);
    listener();
  };
  listeners.add(once);
  return () => listeners.delete(once);
}

export { plainTextHtml } from './plain-text-html.js';
