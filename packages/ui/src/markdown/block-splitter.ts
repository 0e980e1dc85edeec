import { MARKDOWN_LIMITS } from './markdown-limits.js';

/** Size (characters) past which an open block is closed at the next line where that is safe. */
export const SOFT_BLOCK_CHARS = 2048;
/**
 * Length past which one line is cut into blocks. A block this long is never parsed as Markdown
 * (it shows as plain text), and one element holding an endless line takes long to lay out.
 */
export const HARD_LINE_CHARS = MARKDOWN_LIMITS.blockChars;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const TABLE_DELIMITER_ROW = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Splits streamed Markdown into top-level blocks as it arrives, so a renderer only ever
 * re-renders the block still being written. Each call costs O(size of the new text plus the
 * open block), never O(length of the whole answer).
 *
 * A block ends at a blank line outside a code fence, or at the line closing a fence. Loose
 * lists (items separated by blank lines) therefore become one list per item, which renders
 * the same apart from spacing.
 *
 * An open block never grows much past `softLimit`, and a line is cut every `HARD_LINE_CHARS`: a long paragraph, list or table is closed
 * before the next line that starts at column 0 (a table continues under a copy of its header
 * row), and a long code fence is closed and reopened with the same opening line. Otherwise one
 * unclosed fence or endless paragraph would be re-rendered whole for the rest of the answer.
 */
export class MarkdownBlockSplitter {
  private openBlock = '';
  private partialLine = '';
  private fence: string | undefined;
  private fenceOpener = '';

  constructor(private readonly softLimit = SOFT_BLOCK_CHARS) {}

  /** Feeds new text; returns the blocks that this text completed, oldest first. */
  append(delta: string): string[] {
    const completed: string[] = [];
    let text = this.partialLine + delta;
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.acceptLine(text.slice(start, newline + 1), completed);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    text = text.slice(start);
    while (text.length >= HARD_LINE_CHARS) {
      this.cutLine(text.slice(0, HARD_LINE_CHARS), completed);
      text = text.slice(HARD_LINE_CHARS);
    }
    this.partialLine = text;
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
    return last.trim() === '' ? [] : [last];
  }

  /** Ends the open block with a piece of an endless line (inside code, the fence closes and reopens). */
  private cutLine(piece: string, completed: string[]): void {
    if (this.fence !== undefined) {
      completed.push(`${this.openBlock}${piece}\n${this.fence}\n`);
      this.openBlock = this.fenceOpener;
      return;
    }
    completed.push(this.openBlock + piece);
    this.openBlock = '';
  }

  private acceptLine(line: string, completed: string[]): void {
    const fenceMatch = FENCE.exec(line);
    if (this.fence !== undefined) {
      this.openBlock += line;
      if (fenceMatch?.[1] && fenceMatch[1][0] === this.fence[0] && fenceMatch[1].length >= this.fence.length && line.trim() === fenceMatch[1]) {
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
      this.flush(completed);
      return;
    }
    if (this.openBlock.length >= this.softLimit && !/^\s/.test(line)) {
      const header = tableHeader(this.openBlock);
      this.flush(completed);
      if (header && line.includes('|')) this.openBlock = header;
    }
    this.openBlock += line;
  }

  private flush(completed: string[]): void {
    if (this.openBlock.trim() !== '') completed.push(this.openBlock);
    this.openBlock = '';
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
