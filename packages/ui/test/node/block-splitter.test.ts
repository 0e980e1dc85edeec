import { describe, expect, it } from 'vitest';
import { MarkdownBlockSplitter } from '../../src/markdown/block-splitter.js';

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
