import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Esc anywhere in the block stops the run in progress (the partial output is kept), as in
 * the chat apps people know. Listens only while the element is connected.
 */
export class EscapeStopsController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly run: { readonly busy: boolean; stop(): void },
  ) {
    host.addController(this);
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.run.busy) return;
    event.preventDefault();
    this.run.stop();
  };

  hostConnected(): void {
    this.host.addEventListener('keydown', this.handleKeydown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.handleKeydown);
  }
}
