import { describe, expect, it } from 'vitest';
import { MARKDOWN_LIMITS, nestingDepth, refuseMarkdown } from '../../src/markdown/markdown-limits.js';
import { parseMarkdown } from '../../src/markdown/parse-markdown.js';

describe('Markdown parsing limits', () => {
  it('measures nesting from quotes, list markers and indentation, not inside fences', () => {
    expect(nestingDepth('plain text')).toBe(0);
    expect(nestingDepth('> > quote\n- item\n  - nested')).toBe(2);
    expect(nestingDepth('1. > - '.repeat(10))).toBe(30);
    expect(nestingDepth('```\n' + '> '.repeat(100) + '\n```\n')).toBe(0);
    expect(nestingDepth(' '.repeat(64) + '- deep')).toBe(33);
  });

  it('refuses blocks past the limits and nothing ordinary', () => {
    expect(refuseMarkdown('x'.repeat(MARKDOWN_LIMITS.blockChars + 1))).toBe('too-long');
    expect(refuseMarkdown('> '.repeat(2500))).toBe('too-deep');
    expect(refuseMarkdown('ordinary *text*', () => ['ordinary *text*'])).toBeUndefined();
    expect(refuseMarkdown('x', () => ['[a]('.repeat(60)])).toBe('too-much-inline-markup');
    expect(refuseMarkdown('x', () => ['_a'.repeat(700)])).toBe('too-much-inline-markup');
    expect(refuseMarkdown('x', () => Array.from({ length: 10 }, () => '*a'.repeat(400)))).toBe(
      'too-much-inline-markup',
    );
  });
});

describe('parseMarkdown', () => {
  it('parses ordinary Markdown, with each list item and table cell as its own inline run', () => {
    const list = Array.from(
      { length: 100 },
      (_, index) => `- **Step ${index}**: use \`x\` and [a link](https://example.com/${index})`,
    ).join('\n');
    expect(parseMarkdown(list)).toContain('<li><strong>Step 99</strong>');
    const table =
      '| a | b |\n|---|---|\n' + Array.from({ length: 100 }, () => '| **x** | [y](https://e.example) |').join('\n');
    expect(parseMarkdown(table)).toContain('<td><strong>x</strong></td>');
  });

  it('returns undefined (shown as plain text) for hostile inputs that froze or crashed marked, never throwing', () => {
    for (const source of [
      '[a]('.repeat(2048),
      '![a]('.repeat(1600),
      '_a'.repeat(20_000),
      '> '.repeat(2500),
      '1. > - '.repeat(1000),
      '*a_b[c]('.repeat(1024),
      ' '.repeat(200) + '- x',
    ]) {
      expect(parseMarkdown(source), source.slice(0, 20)).toBeUndefined();
    }
  });

  it('refuses a hostile run hidden in one list item or quote among ordinary ones', () => {
    expect(parseMarkdown('- fine\n- ' + '[a]('.repeat(200) + '\n- fine')).toBeUndefined();
    expect(parseMarkdown('> fine\n> ' + '[a]('.repeat(100) + '\n> ' + '[a]('.repeat(100))).toBeUndefined();
  });
});
