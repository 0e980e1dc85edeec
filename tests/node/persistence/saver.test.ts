import { GraphError, Saver, type SaveState } from '@ai-blocks/persistence';
import { describe, expect, it } from 'vitest';

/** Timers the test advances by hand. */
function manualTimers() {
  let now = 0;
  const queue: { at: number; callback: () => void; handle: number }[] = [];
  let nextHandle = 1;
  return {
    timers: {
      setTimeout: (callback: () => void, ms: number) => {
        const handle = nextHandle++;
        queue.push({ at: now + ms, callback, handle });
        return handle;
      },
      clearTimeout: (handle: unknown) => {
        const index = queue.findIndex((entry) => entry.handle === handle);
        if (index >= 0) queue.splice(index, 1);
      },
      now: () => now,
    },
    /** Runs every timer due within `ms`. */
    async advance(ms: number) {
      now += ms;
      for (;;) {
        const due = queue.filter((entry) => entry.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        queue.splice(queue.indexOf(due), 1);
        due.callback();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
    pending: () => queue.length,
  };
}

describe('Saver', () => {
  it('retries a failed write with backoff until it lands, showing unsaved meanwhile', async () => {
    const clock = manualTimers();
    const written: string[] = [];
    let failuresLeft = 2;
    const states: SaveState['status'][] = [];
    const saver = new Saver<string>({
      write: (value) => {
        if (failuresLeft-- > 0) return Promise.reject(new GraphError('TIMEOUT', 'slow'));
        written.push(value);
        return Promise.resolve();
      },
      onChange: (state) => states.push(state.status),
      initialDelayMs: 100,
      timers: clock.timers,
    });
    const settled = saver.save('answer');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(saver.state.status).toBe('unsaved');
    expect(saver.state.nextRetryAt).toBe(100);
    await clock.advance(100);
    expect(saver.state.status).toBe('unsaved');
    expect(saver.state.nextRetryAt).toBe(300); // doubled
    await clock.advance(200);
    expect((await settled).status).toBe('saved');
    expect(written).toEqual(['answer']);
    expect(states).toEqual(['saving', 'unsaved', 'saving', 'unsaved', 'saving', 'saved']);
  });

  it('writes only the newest value when saves pile up, and never drops it', async () => {
    const written: string[] = [];
    let release: () => void = () => {};
    const saver = new Saver<string>({
      write: (value) => {
        written.push(value);
        return value === 'first' ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
    });
    const first = saver.save('first');
    void saver.save('second');
    const third = saver.save('third');
    release();
    expect((await first).status).toBe('saved');
    expect((await third).status).toBe('saved');
    expect(written).toEqual(['first', 'third']);
    expect(saver.hasUnsaved).toBe(false);
  });

  it('keeps the value unsaved after the automatic retries run out, until retryNow', async () => {
    const clock = manualTimers();
    let healthy = false;
    const saver = new Saver<number>({
      write: () => (healthy ? Promise.resolve() : Promise.reject(new GraphError('INTERNAL_ERROR', 'down'))),
      maxAutomaticRetries: 1,
      initialDelayMs: 10,
      timers: clock.timers,
    });
    const settled = saver.save(42);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await clock.advance(10);
    expect((await settled).status).toBe('unsaved');
    expect(clock.pending()).toBe(0);
    expect(saver.hasUnsaved).toBe(true);
    healthy = true;
    saver.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(saver.state.status).toBe('saved');
  });

  it('stops at readonly without retrying', async () => {
    const clock = manualTimers();
    const saver = new Saver<number>({
      write: () => Promise.reject(new GraphError('READONLY', 'read-only')),
      timers: clock.timers,
    });
    expect((await saver.save(1)).status).toBe('readonly');
    expect(clock.pending()).toBe(0);
  });
});
