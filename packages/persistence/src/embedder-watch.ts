/**
 * Tells a block, after `timeoutMs`, that no embedder ever set its `graph` (it runs on a bare
 * page). Block Protocol core retries `init` forever and never times out, so without this a
 * block would wait for ever; with it, the block says so and keeps outputs in memory.
 */
export class EmbedderWatch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private answered = false;

  constructor(
    private readonly onMissing: () => void,
    private readonly timeoutMs = 3000,
  ) {}

  /** Start waiting (from connectedCallback). */
  start(): void {
    if (this.answered || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.answered) this.onMissing();
    }, this.timeoutMs);
  }

  /** The embedder set `graph`. */
  markAnswered(): void {
    this.answered = true;
    this.stop();
  }

  get hasAnswered(): boolean {
    return this.answered;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
