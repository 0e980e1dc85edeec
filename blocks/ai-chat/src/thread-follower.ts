import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps the conversation scrolled to its newest message as it grows (after each render, and
 * while a long reply renders over several frames), until the person scrolls up to read; it
 * follows again once they scroll back to the end.
 */
export class ThreadFollower implements ReactiveController {
  private following = true;
  private scheduled = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly thread: () => HTMLElement | null,
  ) {
    host.addController(this);
  }

  /** The thread's scroll listener: near the end means follow. */
  readonly handleScroll = (event: Event): void => {
    const thread = event.currentTarget as HTMLElement;
    this.following = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 48;
  };

  hostUpdated(): void {
    this.follow();
  }

  /** The person sent a message: they want to see it and its reply, wherever they had scrolled. */
  resume(): void {
    this.following = true;
    this.schedule();
  }

  /** Follows on the next frame: content grew outside a render (a saved reply rendered). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.follow();
    });
  }

  private follow(): void {
    const thread = this.thread();
    if (thread && this.following) thread.scrollTop = thread.scrollHeight;
  }
}
