import { sharedLocalEngine, streamText, type TextEngine, type TextStreamPart } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

/** A local engine whose streams end only when the test says so, recording what happens. */
function fakeEngine(log: string[]) {
  const gates: (() => void)[] = [];
  let loads = 0;
  let disposed = 0;
  const engine: TextEngine & { threads: number } = {
    specificationVersion: 'v1',
    engineId: 'wasm',
    modelId: 'fake',
    kind: 'local',
    threads: 2,
    availability: () => Promise.resolve('available'),
    load: () => {
      loads += 1;
      return Promise.resolve();
    },
    doStream: (options) => {
      const name = options.messages[0]?.content ?? '';
      log.push(`start ${name}`);
      return Promise.resolve({
        stream: new ReadableStream<TextStreamPart>({
          start(controller) {
            controller.enqueue({ type: 'text-delta', delta: name });
            gates.push(() => {
              log.push(`end ${name}`);
              controller.enqueue({ type: 'finish', finishReason: 'stop' });
              controller.close();
            });
          },
          cancel() {
            log.push(`cancel ${name}`);
            gates.shift();
          },
        }),
      });
    },
    dispose: () => {
      disposed += 1;
      return Promise.resolve();
    },
  };
  return { engine, finishNext: () => gates.shift()?.(), loads: () => loads, disposed: () => disposed };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('sharedLocalEngine', () => {
  it('gives blocks that use the same model one engine, answering one stream at a time in order', async () => {
    const log: string[] = [];
    const fake = fakeEngine(log);
    let created = 0;
    const create = () => {
      created += 1;
      return fake.engine;
    };
    const a = sharedLocalEngine('test:one', create);
    const b = sharedLocalEngine('test:one', create);
    expect(created).toBe(1);
    expect((b as unknown as { threads: number }).threads).toBe(2); // engine facts read through
    const first = streamText({ engine: a, messages: [{ role: 'user', content: 'A' }] });
    const second = streamText({ engine: b, messages: [{ role: 'user', content: 'B' }] });
    await tick();
    expect(log).toEqual(['start A']); // B waits for A's turn to end
    fake.finishNext();
    await tick();
    expect(log).toEqual(['start A', 'end A', 'start B']);
    fake.finishNext();
    expect((await first.outcome).text).toBe('A');
    expect((await second.outcome).text).toBe('B');
    await a.dispose?.();
    expect(fake.disposed()).toBe(0); // still used by b
    await b.dispose?.();
    expect(fake.disposed()).toBe(1);
    sharedLocalEngine('test:one', create);
    expect(created).toBe(2); // a fresh engine after the last release
  });

  it('lets a block waiting for its turn stop, without holding up the next one', async () => {
    const log: string[] = [];
    const fake = fakeEngine(log);
    const [a, b, c] = [1, 2, 3].map(() => sharedLocalEngine('test:two', () => fake.engine));
    if (!a || !b || !c) throw new Error('no handles');
    const first = streamText({ engine: a, messages: [{ role: 'user', content: 'A' }] });
    const stop = new AbortController();
    const second = streamText({ engine: b, messages: [{ role: 'user', content: 'B' }], abortSignal: stop.signal });
    const third = streamText({ engine: c, messages: [{ role: 'user', content: 'C' }] });
    await tick();
    stop.abort();
    expect((await second.outcome).status).toBe('aborted');
    fake.finishNext();
    await tick();
    expect(log).toEqual(['start A', 'end A', 'start C']);
    fake.finishNext();
    expect((await first.outcome).text).toBe('A');
    expect((await third.outcome).text).toBe('C');
  });

  it('ends a turn when the reader cancels mid-stream', async () => {
    const log: string[] = [];
    const fake = fakeEngine(log);
    const a = sharedLocalEngine('test:three', () => fake.engine);
    const b = sharedLocalEngine('test:three', () => fake.engine);
    const stop = new AbortController();
    const first = streamText({ engine: a, messages: [{ role: 'user', content: 'A' }], abortSignal: stop.signal });
    const second = streamText({ engine: b, messages: [{ role: 'user', content: 'B' }] });
    await tick();
    stop.abort();
    expect((await first.outcome).status).toBe('aborted');
    await tick();
    expect(log).toEqual(['start A', 'cancel A', 'start B']);
    fake.finishNext();
    expect((await second.outcome).text).toBe('B');
  });
});
