/**
 * Splits streamed Markdown into top-level blocks as it arrives, so a renderer only ever
 * re-renders the block still being written. Each call costs O(size of the new text plus the
 * open block), never O(length of the whole answer).
 *
 * A block ends at a blank line outside a code fence, or at the line closing a fence. Loose
 * lists (items separated by blank lines) therefore become one list per item, which renders
 * the same apart from spacing.
 */
export class MarkdownBlockSplitter {
  private openBlock = '';
  private partialLine = '';
  private fence: string | undefined;

  /** Feeds new text; returns the blocks that this text completed, oldest first. */
  append(delta: string): string[] {
    const completed: string[] = [];
    let text = this.partialLine + delta;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.acceptLine(text.slice(0, newline + 1), completed);
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
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

  private acceptLine(line: string, completed: string[]): void {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (this.fence !== undefined) {
      this.openBlock += line;
      if (fenceMatch?.[1] && fenceMatch[1][0] === this.fence[0] && fenceMatch[1].length >= this.fence.length && line.trim() === fenceMatch[1]) {
        this.fence = undefined;
        this.flush(completed);
      }
      return;
    }
    if (fenceMatch?.[1]) {
      this.fence = fenceMatch[1];
      this.openBlock += line;
      return;
    }
    if (line.trim() === '') {
      this.flush(completed);
      return;
    }
    this.openBlock += line;
  }

  private flush(completed: string[]): void {
    if (this.openBlock.trim() !== '') completed.push(this.openBlock);
    this.openBlock = '';
  }
}
