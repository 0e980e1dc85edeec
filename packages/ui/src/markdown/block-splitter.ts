import { MARKDOWN_LIMITS } from './markdown-limits.js';

/** Size (characters) past which an open block is closed at the next line where that is safe. */
export const SOFT_BLOCK_CHARS = 2048;
/**
 * Length past which one line is cut into blocks: one block's render, and the layout of its
 * element, stay a few milliseconds long however hostile the text (an endless line, a line of
 * thousands of links or emoji).
 */
export const HARD_LINE_CHARS = 4096;
/**
 * Size past which a block is closed before its next line, wherever it is (even inside a list's
 * indented lines): no block the view inserts in one piece is much longer than this. It is
 * within the parsing limit, so what is cut here is still rendered as Markdown where it can be.
 */
export const HARD_BLOCK_CHARS = Math.min(4096, MARKDOWN_LIMITS.blockChars);

interface OrderedList {
  /** The number the next item has in the rendered list. */
  next: number;
  delimiter: string;
  /** Spaces before the items' markers. */
  indent: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ORDERED_ITEM = /^( {0,3})(\d{1,9})([.)])(?=[ \t]|$)/;
const BULLET_ITEM = /^( {0,3})[-*+](?=[ \t]|$)/;
const LIST_ENDER = /^(#{1,6}(?=[ \t]|$)|>)/;
const TABLE_DELIMITER_ROW = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Splits streamed Markdown into top-level blocks as it arrives, so a renderer only ever re-renders the block still
 * being written. Each call costs O(size of the new text plus the open block), never O(length of the whole answer).
 *
 * A block ends at a blank line outside a code fence, or at the line closing a fence. Loose lists (items separated by
 * blank lines) therefore become one list per item, which renders the same apart from spacing.
 *
 * An open block never grows much past `softLimit`, and a line is cut every `HARD_LINE_CHARS`: a long paragraph, list or
 * table is closed before the next line that starts at column 0 (a table continues under a copy of its header row), and
 * a long code fence is closed and reopened with the same opening line. Otherwise one unclosed fence or endless
 * paragraph would be re-rendered whole for the rest of the answer. An ordered list continues in the next block with the
 * number its next item would have had. No block grows past `HARD_BLOCK_CHARS` (plus a line), even where no line starts
 * at column 0.
 */
export class MarkdownBlockSplitter {
  private openBlock = '';
  private partialLine = '';
  private fence: string | undefined;
  private fenceOpener = '';
  /** The ordered list being written in the open block: its next item's number and delimiter. */
  private ordered: OrderedList | undefined;
  /** The ordered list that the last block ended in, when only blank lines followed it. */
  private looseList: OrderedList | undefined;

  constructor(private readonly softLimit = SOFT_BLOCK_CHARS) {}

  /** Feeds new text; returns the blocks that this text completed, oldest first. */
  append(delta: string): string[] {
    const completed: string[] = [];
    const text = this.partialLine + delta;
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      // A complete line can be endless too: cut it like a partial one.
      while (newline + 1 - start > HARD_LINE_CHARS) start = this.cutLine(text, start, completed);
      this.acceptLine(text.slice(start, newline + 1), completed);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    while (text.length - start >= HARD_LINE_CHARS) start = this.cutLine(text, start, completed);
    this.partialLine = text.slice(start);
    return completed;
  }

  /** The source of the block still being written (may be empty). */
  get tail(): string {
    return this.openBlock + this.partialLine;
  }

  /** Ends the stream: returns the last block if there is one. */
  finish(): string[] {
    const last = this.tail;
    this.openBlock = '';
    this.partialLine = '';
    this.fence = undefined;
    this.ordered = undefined;
    this.looseList = undefined;
    return last.trim() === '' ? [] : [last];
  }

  /**
   * Ends the open block with the next `HARD_LINE_CHARS` of an endless line that starts at `start`
   * in `text` (inside code, the fence closes and reopens); returns where the rest starts.
   */
  private cutLine(text: string, start: number, completed: string[]): number {
    let end = start + HARD_LINE_CHARS;
    // Never between the two halves of a surrogate pair (an emoji would show as two broken characters).
    if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const piece = text.slice(start, end);
    if (this.fence !== undefined) {
      completed.push(`${this.openBlock}${piece}\n${this.fence}\n`);
      this.openBlock = this.fenceOpener;
      return end;
    }
    // The block before the endless line goes on its own when both would make one block past the limit.
    if (this.openBlock.length + piece.length > HARD_BLOCK_CHARS) this.flush(completed);
    completed.push(this.openBlock + piece);
    this.openBlock = '';
    this.ordered = undefined;
    return end;
  }

  private acceptLine(line: string, completed: string[]): void {
    const fenceMatch = FENCE.exec(line);
    if (this.fence !== undefined) {
      this.openBlock += line;
      if (
        fenceMatch?.[1] &&
        fenceMatch[1][0] === this.fence[0] &&
        fenceMatch[1].length >= this.fence.length &&
        line.trim() === fenceMatch[1]
      ) {
        this.fence = undefined;
        this.flush(completed);
      } else if (this.openBlock.length >= this.softLimit) {
        // Close the code here and go on in a new fence that opens the same way.
        completed.push(`${this.openBlock}${this.fence}\n`);
        this.openBlock = this.fenceOpener;
      }
      return;
    }
    if (fenceMatch?.[1]) {
      this.fence = fenceMatch[1];
      this.fenceOpener = line;
      this.openBlock += line;
      return;
    }
    if (line.trim() === '') {
      // A loose ordered list (blank lines between items) goes on in the next block.
      const ordered = this.ordered ?? this.looseList;
      this.flush(completed);
      this.looseList = ordered;
      return;
    }
    let next = line;
    if (this.looseList && this.openBlock === '') next = continueNumbering(line, this.looseList);
    this.looseList = undefined;
    const atColumnZero = !/^\s/.test(line);
    // Past the soft limit a block ends before a line at column 0; past the hard one before any line.
    if (
      (this.openBlock.length >= this.softLimit && atColumnZero) ||
      this.openBlock.length + line.length > HARD_BLOCK_CHARS
    ) {
      const header = tableHeader(this.openBlock);
      const ordered = this.ordered;
      this.flush(completed);
      if (header && line.includes('|')) this.openBlock = header;
      else if (ordered) next = continueNumbering(line, ordered);
    }
    this.trackOrderedList(next);
    this.openBlock += next;
  }

  /** Follows the numbering of an ordered list in the open block (items at up to three spaces). */
  private trackOrderedList(line: string): void {
    const item = ORDERED_ITEM.exec(line);
    const ordered = this.ordered;
    if (item) {
      const indent = (item[1] as string).length;
      const delimiter = item[3] as string;
      // A more indented item belongs to a list nested in this one.
      if (ordered && indent > ordered.indent) return;
      this.ordered =
        ordered?.delimiter === delimiter && ordered.indent === indent
          ? { ...ordered, next: ordered.next + 1 }
          : { next: Number(item[2]) + 1, delimiter, indent };
      return;
    }
    // A bullet item at the list's own level starts another list; a heading or quote ends it.
    const bullet = BULLET_ITEM.exec(line);
    if ((bullet && ordered && (bullet[1] as string).length <= ordered.indent) || LIST_ENDER.test(line))
      this.ordered = undefined;
  }

  private flush(completed: string[]): void {
    if (this.openBlock.trim() !== '') completed.push(this.openBlock);
    this.openBlock = '';
    this.ordered = undefined;
  }
}

/** The header and delimiter rows when `block` is a table, so a split table keeps its columns. */
function tableHeader(block: string): string | undefined {
  const first = block.indexOf('\n');
  const second = first === -1 ? -1 : block.indexOf('\n', first + 1);
  if (second === -1) return undefined;
  const header = block.slice(0, first);
  const delimiter = block.slice(first + 1, second);
  return header.includes('|') && TABLE_DELIMITER_ROW.test(delimiter) ? block.slice(0, second + 1) : undefined;
}

/** An ordered item that starts a new block carries the number it had in the list it continues. */
function continueNumbering(line: string, ordered: OrderedList): string {
  const item = ORDERED_ITEM.exec(line);
  if (
    !item ||
    item[3] !== ordered.delimiter ||
    (item[1] as string).length !== ordered.indent ||
    ordered.next > 999_999_999
  )
    return line;
  return `${item[1] as string}${String(ordered.next)}${line.slice(item[0].length - 1)}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
