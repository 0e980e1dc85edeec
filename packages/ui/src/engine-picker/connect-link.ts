import type { ModelConnection } from '@ai-blocks/runtime';
import { html, type ReactiveControllerHost } from 'lit';
import { revealAndFocus } from '../reveal.js';
import type { ConnectForm, ConnectPurpose } from './connect-form.js';
import { importConnectForm } from './import-connect-form.js';
import { personConnection, setPersonConnection } from './person-connection.js';

/**
 * A picker's "Connect a model": opens the form (a runtime asset, loaded on first use), and says
 * which model the person connected for this picker's purpose (text or images). Text and image
 * pickers share the page's one connection; each has its own model in it.
 */
export class ConnectLink {
  /** The open form, if any. */
  form: ConnectForm | undefined;
  /** Why the form could not be loaded. */
  error: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: {
      purpose: ConnectPurpose;
      /** Whether the host set that kind of engine up itself (its settings win). */
      hostConfigured: (kind: ModelConnection['kind']) => boolean;
    },
  ) {}

  /** The connected model for this purpose, in words ("gpt-4o-mini at api.openai.com"). */
  text(): string | undefined {
    const connection = personConnection();
    const model = this.options.purpose === 'images' ? connection?.imageModel : connection?.model;
    if (!connection || !model) return undefined;
    let where = connection.baseURL;
    try {
      where = new URL(connection.baseURL).host;
    } catch {
      // Shown as typed.
    }
    return `${model} at ${where}`;
  }

  /** Opens the form; focus moves to its first field. */
  async open(): Promise<void> {
    if (this.form) return;
    this.error = undefined;
    try {
      const { createConnectForm } = await importConnectForm();
      this.form = createConnectForm({
        html,
        purpose: this.options.purpose,
        current: personConnection(),
        hostConfigured: this.options.hostConfigured,
        update: () => {
          this.host.requestUpdate();
        },
        connect: (connection, remember) => {
          setPersonConnection({ ...connection, remember });
          this.close();
        },
        forget: () => {
          setPersonConnection(undefined);
          this.close();
        },
        close: () => {
          this.close();
        },
      });
    } catch (error) {
      this.error = `The form could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    revealAndFocus(this.host.shadowRoot?.querySelector<HTMLElement>('#connect-service'));
  }

  /** Closes the form; focus returns to the button that opens it. */
  close(): void {
    if (!this.form) return;
    this.form.dispose();
    this.form = undefined;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      revealAndFocus(this.host.shadowRoot?.querySelector<HTMLElement>('[data-action="open-connect"]')),
    );
  }
}
