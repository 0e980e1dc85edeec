import { Lexer, Marked } from 'marked';
import { refuseMarkdown } from './markdown-limits.js';

const marked = new Marked({ gfm: true, breaks: false });

/**
 * Parses one Markdown block to (unsanitised) HTML, or returns `undefined` when the block is
 * past the parsing limits or the parser fails on it (e.g. a stack overflow): such text is
 * shown as escaped plain text instead. Never throws.
 */
export function parseMarkdown(source: string): string | undefined {
  const text = source.replace(/\r\n?/g, '\n');
  try {
    if (refuseMarkdown(text, () => inlineRuns(text))) return undefined;
    return marked.parse(text, { async: false });
  } catch {
    return undefined;
  }
}

/**
 * The texts marked will parse inline (paragraphs, headings, list items, table cells), found
 * with its block lexer only: the block pass queues them with empty token lists.
 */
function* inlineRuns(source: string): Generator<string> {
  const lexer = new Lexer(marked.defaults);
  yield* inlineTexts(lexer.blockTokens(source, []));
}

function* inlineTexts(node: unknown): Generator<string> {
  if (Array.isArray(node)) {
    for (const item of node) yield* inlineTexts(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const token = node as { text?: unknown; tokens?: unknown; items?: unknown; header?: unknown; rows?: unknown };
  if (typeof token.text === 'string' && Array.isArray(token.tokens) && token.tokens.length === 0) {
    yield token.text;
    return;
  }
  yield* inlineTexts(token.tokens);
  yield* inlineTexts(token.items);
  yield* inlineTexts(token.header);
  yield* inlineTexts(token.rows);
}
