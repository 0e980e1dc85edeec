import { describe, expect, it } from 'vitest';
import { MarkdownHtmlCache } from '../../src/markdown/markdown-html-cache.js';
import type { MarkdownRender } from '../../src/markdown/markdown-renderer.js';

/** A fake clock and task queue: each render "takes" `costMs`, tasks run when the test says. */
function harness(costMs = 1, render: MarkdownRender = (source) => `<p>${source.trim()}</p>`) {
  let clock = 0;
  const tasks: (() => void)[] = [];
  let rendered = 0;
  const calls: string[] = [];
  const cache = new MarkdownHtmlCache({
    onRendered: () => (rendered += 1),
    render: () => (source) => {
      clock += costMs;
      calls.push(source);
      return render(source);
    },
    now: () => clock,
    later: (callback) => tasks.push(callback),
  });
  const runTask = () => tasks.shift()?.();
  return { cache, tasks, runTask, calls, renders: () => rendered };
}

/** Each block is rendered into its own element, as the streaming view does. */
const block = (html: string) => `<div class="md-block">${html}</div>`;

describe('MarkdownHtmlCache', () => {
  it('renders a short text at once and serves it from the cache after', () => {
    const { cache, calls } = harness();
    expect(cache.html('a', 'Hello')).toBe(block('<p>Hello</p>'));
    expect(cache.html('a', 'Hello')).toBe(block('<p>Hello</p>'));
    expect(calls).toEqual(['Hello']);
  });

  it('shows a long text as escaped text, then renders it block by block in later tasks', () => {
    const { cache, runTask, calls, renders } = harness(3);
    const long = Array.from({ length: 40 }, (_, index) => `Paragraph ${index} ${'x'.repeat(200)}`).join('\n\n');
    // Escaped text, block by block: one element holding it all would take long to lay out.
    const placeholder = cache.html('a', long);
    expect(placeholder.match(/<div class="md-block"><p class="md-plain">Paragraph \d+ x+\n?<\/p><\/div>/g)).toHaveLength(40);
    expect(calls).toEqual([]);
    runTask(); // budget 10 ms at 3 ms a block: 4 blocks this task
    expect(calls.length).toBe(4);
    expect(renders()).toBe(0);
    for (let task = 0; task < 20 && renders() === 0; task += 1) runTask();
    expect(renders()).toBe(1);
    expect(cache.html('a', long)).toContain('<p>Paragraph 39');
  });

  it('stops rendering on the spot once a task spent its budget; the rest follow in the background', () => {
    const { cache, runTask, renders } = harness(6);
    expect(cache.html('a', 'one')).toBe(block('<p>one</p>'));
    expect(cache.html('b', 'two')).toBe(block('<p>two</p>'));
    expect(cache.html('c', 'three')).toBe(block('<p class="md-plain">three</p>')); // 12 ms spent this task
    runTask(); // resets the budget
    runTask(); // renders "three"
    expect(renders()).toBe(1);
    expect(cache.html('c', 'three')).toBe(block('<p>three</p>'));
  });

  it('keeps only the texts it is told to retain', () => {
    const { cache } = harness();
    for (let index = 0; index < 50; index += 1) cache.html(`m${index}`, `message ${index}`);
    expect(cache.size).toBe(50);
    cache.retain(['m1', 'm2']);
    expect(cache.size).toBe(2);
  });

  it('shows a text whose rendering throws as escaped text instead of breaking', () => {
    const { cache } = harness(1, () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(cache.html('a', '<b>x</b>')).toBe(block('<p class="md-plain">&lt;b&gt;x&lt;/b&gt;</p>'));
  });
});
