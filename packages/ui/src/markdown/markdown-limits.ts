/**
 * Bounds on the Markdown that is parsed at all. marked's inline parsing is superlinear on
 * punctuation-heavy text (`'[a]('` repeated: 1 KB ≈ 40 ms, 8 KB ≈ 16 s) and its block parsing
 * recurses once per nesting level (a few thousand `>` overflow the stack). A block past these
 * bounds is shown as plain text instead, so one render stays within a few milliseconds.
 * Ordinary answers are far inside them: the bounds were measured against marked 16 (see the
 * hostile-markdown reliability suite).
 */
export const MARKDOWN_LIMITS = {
  /** Characters of one block; longer blocks are shown as plain text. */
  blockChars: 8192,
  /** Nesting of quotes, list markers and indentation (two columns a level) at a line start. */
  depth: 24,
  /** Inline markup characters (`*_~\`[]()<>!\\&`) in one paragraph, heading, list item or cell. */
  inlineMarks: 600,
  /** Σ marks² over a block's inline runs: inline parsing costs about the square of the marks. */
  inlineWork: 1_000_000,
  /** `](` (link destinations) in one inline run: the link rule is about cubic in them. */
  linkOpeners: 48,
} as const;

/** Why a block is not parsed as Markdown, or `undefined` when it may be. Linear in the block. */
export type MarkdownRefusal = 'too-long' | 'too-deep' | 'too-much-inline-markup';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The deepest nesting at a line start outside fenced code: each `>` or list marker counts one
 * level, and the line's indentation one level per two columns. marked recurses about once per level.
 */
export function nestingDepth(source: string): number {
  let deepest = 0;
  let fence: string | undefined;
  for (const line of source.split('\n')) {
    const fenceMatch = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[0] === fence[0] && fenceMatch.length >= fence.length && line.trim() === fenceMatch)
        fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch;
      continue;
    }
    deepest = Math.max(deepest, lineDepth(line));
  }
  return deepest;
}

function lineDepth(line: string): number {
  let markers = 0;
  let columns = 0;
  let index = 0;
  for (;;) {
    const char = line[index];
    if (char === ' ' || char === '\t') {
      // Indentation before the first marker nests (two columns a level); spaces after one separate.
      if (markers === 0) columns += char === ' ' ? 1 : 4;
      index += 1;
    } else if (char === '>') {
      markers += 1;
      index += 1;
    } else if ((char === '-' || char === '*' || char === '+') && isMarkerEnd(line[index + 1])) {
      markers += 1;
      index += 1;
    } else if (char !== undefined && char >= '0' && char <= '9') {
      let end = index;
      while (end - index < 9 && line[end] !== undefined && (line[end] as string) >= '0' && (line[end] as string) <= '9')
        end += 1;
      if ((line[end] === '.' || line[end] === ')') && isMarkerEnd(line[end + 1])) {
        markers += 1;
        index = end + 1;
      } else break;
    } else break;
  }
  return markers + Math.floor(columns / 2);
}

function isMarkerEnd(char: string | undefined): boolean {
  return char === undefined || char === ' ' || char === '\t';
}

const MARKS = new Set(['*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '!', '\\', '&']);

/** Inline markup in one inline run: how many markup characters, and how many `](`. */
export function inlineMarkup(text: string): { marks: number; linkOpeners: number } {
  let marks = 0;
  let linkOpeners = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (!MARKS.has(char)) continue;
    marks += 1;
    if (char === '(' && text[index - 1] === ']') linkOpeners += 1;
  }
  return { marks, linkOpeners };
}

/**
 * Checks a block against the limits, given the texts of its inline runs (paragraphs, headings,
 * list items, table cells: what the parser will parse inline).
 */
export function refuseMarkdown(source: string, inlineRuns?: () => Iterable<string>): MarkdownRefusal | undefined {
  if (source.length > MARKDOWN_LIMITS.blockChars) return 'too-long';
  if (nestingDepth(source) > MARKDOWN_LIMITS.depth) return 'too-deep';
  if (!inlineRuns) return undefined;
  let work = 0;
  for (const text of inlineRuns()) {
    const { marks, linkOpeners } = inlineMarkup(text);
    work += marks * marks;
    if (
      marks > MARKDOWN_LIMITS.inlineMarks ||
      linkOpeners > MARKDOWN_LIMITS.linkOpeners ||
      work > MARKDOWN_LIMITS.inlineWork
    )
      return 'too-much-inline-markup';
  }
  return undefined;
}
