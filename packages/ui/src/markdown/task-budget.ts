/**
 * What all Markdown views together may do in one task (an animation frame, or the Lit update
 * that shows a conversation): render for ~6 ms, and insert ~16 K characters of HTML, since
 * the browser styles and lays out what was inserted before the task ends. The rest waits for
 * the next frame. Shared, so that a conversation of many long replies is no slower per frame
 * than one reply.
 */
export class TaskBudget {
  private spentMs = 0;
  private spentChars = 0;
  private resetQueued = false;

  constructor(
    private readonly limits: { ms: number; htmlChars: number } = { ms: 6, htmlChars: 16_000 },
    /** Runs a callback in a later task (then the budget is whole again). */
    private readonly later: (callback: () => void) => void = (callback) => void setTimeout(callback, 0),
  ) {}

  /**
   * Whether this task may still render and insert more, when that is expected to take
   * `expectedMs` (what the last such piece took). The first piece of a task is always allowed.
   */
  allows(expectedMs = 0): boolean {
    if (this.spentMs === 0 && this.spentChars === 0) return true;
    return this.spentMs + expectedMs < this.limits.ms && this.spentChars < this.limits.htmlChars;
  }

  /** Counts work done in this task; the count starts again in the next task. */
  spend(ms: number, htmlChars: number): void {
    this.spentMs += ms;
    this.spentChars += htmlChars;
    if (this.resetQueued) return;
    this.resetQueued = true;
    this.later(() => {
      this.resetQueued = false;
      this.spentMs = 0;
      this.spentChars = 0;
    });
  }
}

/** The budget every view shares unless given its own. */
export const sharedTaskBudget = new TaskBudget();
