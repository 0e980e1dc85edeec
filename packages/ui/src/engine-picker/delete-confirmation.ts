import type { ReactiveControllerHost } from 'lit';
import { revealAndFocus } from '../reveal.js';

/**
 * Asks before a downloaded model is deleted (a later run would download it again, maybe hundreds
 * of megabytes): the model's row shows the question until the person answers. Focus moves to
 * the question, and back to the row afterwards, so a keyboard user is never dropped on the page.
 */
export class DeleteConfirmation {
  /** The model whose row asks, if any. */
  modelId: string | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {}

  ask(modelId: string): void {
    this.modelId = modelId;
    this.settle(modelId, '[data-action="confirm-delete"]');
  }

  /** Deletes (with `remove`) and ends the question. */
  async confirm(remove: () => Promise<void>): Promise<void> {
    const modelId = this.modelId;
    this.modelId = undefined;
    this.host.requestUpdate();
    await remove();
    if (modelId) this.settle(modelId, 'button, input');
  }

  cancel(): void {
    const modelId = this.modelId;
    this.modelId = undefined;
    if (modelId) this.settle(modelId, '[data-action="delete-model"]');
  }

  private settle(modelId: string, selector: string): void {
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      revealAndFocus(
        this.host.shadowRoot?.querySelector<HTMLElement>(`[data-model="${CSS.escape(modelId)}"] ${selector}`),
      ),
    );
  }
}
