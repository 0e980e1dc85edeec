import { describe, expect, it } from 'vitest';
import { ClipTokenizer } from '@ai-blocks/runtime';
import { tinyDiffusionTokenizer } from '@ai-blocks/test-models';

const files = tinyDiffusionTokenizer();
const tokenizer = ClipTokenizer.fromFiles(JSON.stringify(files.vocab), files.merges, {
  maxLength: 77,
  padToken: '<|endoftext|>',
});

describe('CLIP BPE tokenizer', () => {
  it('splits words, marks word ends and merges by the vocabulary’s merges', () => {
    expect(tokenizer.tokenize('A photo of a red cat')).toEqual([
      'a</w>',
      'photo</w>',
      'of</w>',
      'a</w>',
      'red</w>',
      'cat</w>',
    ]);
    // Words without merges fall back to single byte characters.
    expect(tokenizer.tokenize('xyz')).toEqual(['x', 'y', 'z</w>']);
  });

  it('cleans text as CLIP does: whitespace collapsed, lower case, NFC', () => {
    expect(tokenizer.tokenize('  A \n\t PHOTO   of\u00a0the  SKY ')).toEqual(tokenizer.tokenize('a photo of the sky'));
    expect(tokenizer.tokenize('Cafe\u0301')).toEqual(tokenizer.tokenize('café'));
  });

  it('splits punctuation, contractions and single digits like CLIP’s pattern', () => {
    expect(tokenizer.tokenize('cat!')).toEqual(['cat</w>', '!</w>']);
    expect(tokenizer.tokenize("dog's")).toEqual(['dog</w>', "'", 's</w>']);
    expect(tokenizer.tokenize('42 cat')).toEqual(['4</w>', '2</w>', 'cat</w>']);
    expect(tokenizer.tokenize('<|startoftext|>')).toEqual(['<|startoftext|>']);
  });

  it('maps non-ASCII text byte by byte to printable characters', () => {
    // "é" is C3 A9 in UTF-8; both bytes are printable in GPT-2/CLIP's table.
    expect(tokenizer.tokenize('é')).toEqual(['Ã', '©</w>']);
    // A space inside a word cannot happen, but control bytes map above U+0100.
    expect(tokenizer.tokenize('\u0001')).toEqual(['\u0101</w>']);
  });

  it('applies merges by rank, not left to right', () => {
    const vocab = Object.fromEntries(
      ['a', 'b', 'c</w>', 'bc</w>', 'ab', '<|startoftext|>', '<|endoftext|>'].map((token, id) => [token, id]),
    );
    const byRank = (merges: string) =>
      ClipTokenizer.fromFiles(JSON.stringify(vocab), `#version: 0.2\n${merges}\n`, {
        maxLength: 8,
        padToken: '<|endoftext|>',
      });
    expect(byRank('b c</w>\na b').tokenize('abc')).toEqual(['a', 'bc</w>']);
    expect(byRank('a b\nb c</w>').tokenize('abc')).toEqual(['ab', 'c</w>']);
  });

  it('encodes start, tokens, end and padding to exactly maxLength, cutting long prompts', () => {
    const ids = tokenizer.encode('a red cat');
    expect(ids).toHaveLength(77);
    expect(ids.slice(0, 5)).toEqual([
      tokenizer.bosId,
      files.vocab['a</w>'],
      files.vocab['red</w>'],
      files.vocab['cat</w>'],
      tokenizer.eosId,
    ]);
    expect(new Set(ids.slice(5))).toEqual(new Set([tokenizer.padId]));
    const long = tokenizer.encode('cat '.repeat(200));
    expect(long).toHaveLength(77);
    expect(long[76]).toBe(tokenizer.eosId);
    expect(long[75]).toBe(files.vocab['cat</w>']);
  });

  it('pads with the model’s pad token (SD 2.x and SD-Turbo use "!")', () => {
    const sd2 = ClipTokenizer.fromFiles(JSON.stringify(files.vocab), files.merges, { maxLength: 77, padToken: '!' });
    expect(sd2.encode('sky').at(-1)).toBe(0);
  });

  it('rejects files that are not a CLIP vocabulary and merges', () => {
    expect(() => ClipTokenizer.fromFiles('[1,2]', files.merges, { maxLength: 77, padToken: '!' })).toThrow(
      /vocab\.json/,
    );
    expect(() =>
      ClipTokenizer.fromFiles(JSON.stringify(files.vocab), '#version: 0.2\na b c\n', { maxLength: 77, padToken: '!' }),
    ).toThrow(/not a pair/);
    expect(() =>
      ClipTokenizer.fromFiles(JSON.stringify(files.vocab), files.merges, { maxLength: 77, padToken: '<pad>' }),
    ).toThrow(/<pad>/);
  });
});
