import { describe, expect, it } from 'vitest';
import { HARD_LINE_CHARS, MarkdownBlockSplitter } from '../../src/markdown/block-splitter.js';

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
    const code = '```ts\n' + Array.from({ length: 20 }, (_, index) => `const v${index} = ${index};`).join('\n') + '\n```\n';
    const blocks = split(code, 80);
    expect(blocks.length).toBeGreaterThan(2);
    for (const block of blocks) {
      expect(block.startsWith('```ts\n')).toBe(true);
      expect(block.endsWith('```\n')).toBe(true);
    }
    expect(blocks.map((block) => block.slice('```ts\n'.length, -'```\n'.length)).join('')).toBe(code.slice('```ts\n'.length, -'```\n'.length));
  });

  it('continues a long table under a copy of its header', () => {
    const table = '| a | b |\n|---|---|\n' + Array.from({ length: 10 }, (_, index) => `| ${index} | x |`).join('\n') + '\n';
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
    const blocks = [...splitter.append(line.slice(0, 1000)), ...splitter.append(line.slice(1000)), ...splitter.finish()];
    expect(blocks.map((block) => block.length)).toEqual([HARD_LINE_CHARS, HARD_LINE_CHARS, HARD_LINE_CHARS, 5]);
    expect(blocks.join('')).toBe(line);
    const code = new MarkdownBlockSplitter();
    const fenced = [...code.append('```js\n' + line.slice(0, HARD_LINE_CHARS + 1)), ...code.finish()];
    expect(fenced[0]).toBe('```js\n' + line.slice(0, HARD_LINE_CHARS) + '\n```\n');
    expect(fenced[1]).toBe('```js\nx');
  });
});
