import { describe, expect, it } from 'vitest';
import { HARD_BLOCK_CHARS, HARD_LINE_CHARS, MarkdownBlockSplitter } from '../../src/markdown/block-splitter.js';
import { parseMarkdown } from '../../src/markdown/parse-markdown.js';

/** One chunk per character, the worst case for a streaming renderer. */
const characters = (text: string): string[] => Array.from(text);

function splitAll(chunks: string[]): string[] {
  const splitter = new MarkdownBlockSplitter();
  const blocks = chunks.flatMap((chunk) => splitter.append(chunk));
  return [...blocks, ...splitter.finish()];
}

describe('MarkdownBlockSplitter', () => {
  it('splits at blank lines, however the text is chunked', () => {
    const text = '# Title\n\nFirst paragraph\nstill first.\n\n- a\n- b\n\nLast';
    const expected = ['# Title\n', 'First paragraph\nstill first.\n', '- a\n- b\n', 'Last'];
    expect(splitAll([text])).toEqual(expected);
    expect(splitAll(characters(text))).toEqual(expected);
    expect(splitAll(text.match(/.{1,3}/gs) ?? [])).toEqual(expected);
  });

  it('keeps blank lines inside a code fence in one block and closes the block at the fence', () => {
    const text = 'Intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\nAfter';
    expect(splitAll(characters(text))).toEqual(['Intro\n', '```js\nconst a = 1;\n\nconst b = 2;\n```\n', 'After']);
  });

  it('does not close a fence on a shorter or different marker', () => {
    const text = '````\n```\n~~~\n````\n\nx';
    expect(splitAll([text])).toEqual(['````\n```\n~~~\n````\n', 'x']);
  });

  it('exposes the open block as tail while it is written', () => {
    const splitter = new MarkdownBlockSplitter();
    expect(splitter.append('Hello\n\nWor')).toEqual(['Hello\n']);
    expect(splitter.tail).toBe('Wor');
    expect(splitter.append('ld')).toEqual([]);
    expect(splitter.tail).toBe('World');
  });
});

describe('MarkdownBlockSplitter with long open blocks', () => {
  const split = (text: string, limit: number, chunks = characters(text)) => {
    const splitter = new MarkdownBlockSplitter(limit);
    return [...chunks.flatMap((chunk) => splitter.append(chunk)), ...splitter.finish()];
  };

  it('closes a long paragraph or list before a line at column 0, never inside an indented one', () => {
    const list = Array.from({ length: 10 }, (_, index) => `- item ${index}\n  continued`).join('\n') + '\n';
    const blocks = split(list, 40);
    expect(blocks.join('')).toBe(list);
    expect(blocks.length).toBeGreaterThan(2);
    for (const block of blocks) expect(block.startsWith('- item')).toBe(true);
  });

  it('closes a long code fence and reopens it the same way, so the rest is still code', () => {
    const code =
      '```ts\n' + Array.from({ length: 20 }, (_, index) => `const v${index} = ${index};`).join('\n') + '\n```\n';
    const blocks = split(code, 80);
    expect(blocks.length).toBeGreaterThan(2);
    for (const block of blocks) {
      expect(block.startsWith('```ts\n')).toBe(true);
      expect(block.endsWith('```\n')).toBe(true);
    }
    expect(blocks.map((block) => block.slice('```ts\n'.length, -'```\n'.length)).join('')).toBe(
      code.slice('```ts\n'.length, -'```\n'.length),
    );
  });

  it('continues a long table under a copy of its header', () => {
    const table =
      '| a | b |\n|---|---|\n' + Array.from({ length: 10 }, (_, index) => `| ${index} | x |`).join('\n') + '\n';
    const blocks = split(table, 60);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(block.startsWith('| a | b |\n|---|---|\n')).toBe(true);
  });

  it('keeps the open block (tail) bounded while an endless paragraph streams in', () => {
    const splitter = new MarkdownBlockSplitter(4096);
    let longest = 0;
    for (let line = 0; line < 2000; line += 1) {
      splitter.append(`Line ${line} of a paragraph that never ends.\n`);
      longest = Math.max(longest, splitter.tail.length);
    }
    expect(longest).toBeLessThan(4096 + 64);
  });
});

describe('MarkdownBlockSplitter with an endless line', () => {
  it('cuts a line longer than HARD_LINE_CHARS into blocks, losing nothing, inside code too', () => {
    const line = 'x'.repeat(HARD_LINE_CHARS * 3 + 5);
    const splitter = new MarkdownBlockSplitter();
    const blocks = [
      ...splitter.append(line.slice(0, 1000)),
      ...splitter.append(line.slice(1000)),
      ...splitter.finish(),
    ];
    expect(blocks.map((block) => block.length)).toEqual([HARD_LINE_CHARS, HARD_LINE_CHARS, HARD_LINE_CHARS, 5]);
    expect(blocks.join('')).toBe(line);
    const code = new MarkdownBlockSplitter();
    const fenced = [...code.append('```js\n' + line.slice(0, HARD_LINE_CHARS + 1)), ...code.finish()];
    expect(fenced[0]).toBe('```js\n' + line.slice(0, HARD_LINE_CHARS) + '\n```\n');
    expect(fenced[1]).toBe('```js\nx');
  });
});

describe('MarkdownBlockSplitter keeps long lists, tables and lines correct Markdown', () => {
  /** The blocks' HTML as the renderer parses them, one block at a time. */
  const rendered = (blocks: string[]) => blocks.map((block) => parseMarkdown(block) ?? '');
  /** Each list item's number as shown: an <ol>'s start plus the item's place in it. */
  const numbers = (htmls: string[]) =>
    htmls.flatMap((html) => {
      const start = Number(/<ol(?: start="(\d+)")?>/.exec(html)?.[1] ?? 1);
      return [...html.matchAll(/<li>/g)].map((_, index) => start + index);
    });

  it('continues a long ordered list in the next block with the number its next item has', () => {
    // Lazy numbering ("1." on every item) is numbered 1, 2, 3… by Markdown: the split must keep that.
    const list = Array.from({ length: 400 }, (_, index) => `1. item ${String(index)}`).join('\n') + '\n';
    const blocks = splitAll([list]);
    expect(blocks.length).toBeGreaterThan(2);
    expect(numbers(rendered(blocks))).toEqual(Array.from({ length: 400 }, (_, index) => index + 1));
    // Streamed a character at a time, the same.
    expect(splitAll(characters(list))).toEqual(blocks);
  });

  it('keeps an ordered list that starts elsewhere, or uses ")", numbered on', () => {
    const list =
      Array.from({ length: 300 }, (_, index) => `${String(index + 7)}) step\n   1. nested`).join('\n') + '\n';
    const blocks = splitAll([list]);
    expect(blocks.length).toBeGreaterThan(2);
    const starts = rendered(blocks).map((html) => Number(/<ol start="(\d+)">/.exec(html)?.[1]));
    expect(starts[0]).toBe(7);
    // Each block's list starts where the previous one ended (nested lists do not count).
    const outer = rendered(blocks).map(
      (html) => html.split('<li>').length - 1 - (html.match(/<li>nested/g) ?? []).length,
    );
    for (let index = 1; index < blocks.length; index += 1)
      expect(starts[index]).toBe((starts[index - 1] as number) + (outer[index - 1] as number));
  });

  it('numbers a loose ordered list (blank lines between items) on across its blocks', () => {
    const list = Array.from({ length: 5 }, () => '1. item').join('\n\n') + '\n';
    expect(numbers(rendered(splitAll([list])))).toEqual([1, 2, 3, 4, 5]);
    // A paragraph between two lists ends the first: the second starts again.
    expect(numbers(rendered(splitAll(['1. a\n\nText\n\n1. b\n'])))).toEqual([1, 1]);
  });

  it('repeats the header row of a long table in each block, with every row kept once', () => {
    const header = '| a | b |\n|---|---|\n';
    const rows = Array.from({ length: 500 }, (_, index) => `| ${String(index)} | **x** |`);
    const blocks = splitAll([header + rows.join('\n') + '\n']);
    expect(blocks.length).toBeGreaterThan(2);
    const cells = rendered(blocks).flatMap((html) => {
      expect(html).toContain('<thead>');
      return [...html.matchAll(/<tr>\n<td>(\d+)<\/td>/g)].map((match) => Number(match[1]));
    });
    expect(cells).toEqual(rows.map((_, index) => index));
  });

  it('closes a block past HARD_BLOCK_CHARS even where no line starts at column 0', () => {
    const deep =
      Array.from({ length: 600 }, (_, index) => `${' '.repeat(index * 2)}- level ${String(index)}`).join('\n') + '\n';
    const blocks = splitAll([deep]);
    expect(blocks.join('')).toBe(deep);
    for (const block of blocks) expect(block.length).toBeLessThanOrEqual(HARD_BLOCK_CHARS + 1300);
    // A short indented list stays one block.
    const nested = '- a\n  - b\n    - c\n';
    expect(splitAll([nested])).toEqual([nested]);
  });

  it('cuts an endless line that arrives whole, and never between the halves of an emoji', () => {
    const line = 'a' + '\ud83d\ude00'.repeat(HARD_LINE_CHARS) + '\nnext\n';
    const blocks = splitAll([line]);
    expect(blocks.join('')).toBe(line);
    expect(blocks.length).toBeGreaterThan(2);
    for (const block of blocks) {
      expect(block.length).toBeLessThanOrEqual(HARD_LINE_CHARS + 1);
      expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(block)).toBe(false);
    }
  });
});
