import { describe, expect, it } from 'vitest';
import {
  activePath,
  addNode,
  fitHistory,
  mergeThread,
  ROOT,
  siblingsOf,
  type Thread,
} from '../../../blocks/ai-chat/src/thread.js';

function thread(): Thread {
  const t: Thread = { rootKeys: [], nodes: new Map() };
  const add = (key: string, role: 'user' | 'assistant', parentKey?: string) =>
    addNode(t, { key, role, text: key, provenance: {}, parentKey, saved: true });
  add('q1', 'user');
  add('a1', 'assistant', 'q1');
  add('q2', 'user', 'a1');
  add('a2', 'assistant', 'q2');
  add('q2b', 'user', 'a1'); // an edit of q2: a sibling branch
  return t;
}

describe('conversation thread', () => {
  it('shows the newest branch unless another is chosen, and knows each message’s siblings', () => {
    const t = thread();
    expect(activePath(t, new Map()).map((node) => node.key)).toEqual(['q1', 'a1', 'q2b']);
    expect(activePath(t, new Map([['a1', 'q2']])).map((node) => node.key)).toEqual(['q1', 'a1', 'q2', 'a2']);
    const q2 = t.nodes.get('q2');
    if (!q2) throw new Error('no q2');
    expect(siblingsOf(t, q2)).toEqual({ index: 0, keys: ['q2', 'q2b'] });
    // A choice that no longer exists falls back to the newest.
    expect(activePath(t, new Map([[ROOT, 'gone']])).map((node) => node.key)[0]).toBe('q1');
  });

  it('merges messages not yet in the graph after the graph’s, dropping orphans', () => {
    const graph = thread();
    const merged = mergeThread(graph, [
      { key: 'a2b', role: 'assistant', text: 'local', provenance: {}, parentKey: 'q2b', childKeys: [], saved: false },
      { key: 'x', role: 'user', text: 'orphan', provenance: {}, parentKey: 'missing', childKeys: [], saved: false },
    ]);
    expect(activePath(merged, new Map()).map((node) => node.key)).toEqual(['q1', 'a1', 'q2b', 'a2b']);
    expect(merged.nodes.has('x')).toBe(false);
    expect(graph.nodes.get('q2b')?.childKeys).toEqual([]); // the graph's tree is not changed
  });

  it('leaves the oldest turns out when the history does not fit, whole turns at a time, never the last message', () => {
    const messages = [
      { role: 'user' as const, content: 'a'.repeat(400) },
      { role: 'assistant' as const, content: 'b'.repeat(400) },
      { role: 'user' as const, content: 'c'.repeat(40) },
      { role: 'assistant' as const, content: 'd'.repeat(40) },
      { role: 'user' as const, content: 'e'.repeat(40) },
    ];
    expect(fitHistory(messages, 10_000).dropped).toBe(0);
    const fitted = fitHistory(messages, 60);
    expect(fitted.dropped).toBe(2);
    expect(fitted.messages[0]?.content.startsWith('c')).toBe(true);
    expect(fitHistory(messages, 1).messages).toHaveLength(1);
  });
});
