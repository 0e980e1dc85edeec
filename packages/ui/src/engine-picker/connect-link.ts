import type { EngineId, ModelConnection } from '@ai-blocks/runtime';
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

  /** The model the page's connection has for this purpose (Anthropic has none for images). */
  private model(): string | undefined {
    const connection = personConnection();
    if (this.options.purpose === 'text') return connection?.model || undefined;
    return connection?.kind === 'openai-compatible' ? connection.imageModel : undefined;
  }

  /** The engine the person's connection serves for this purpose, if any. */
  engine(): ModelConnection['kind'] | undefined {
    return this.model() ? personConnection()?.kind : undefined;
  }

  /**
   * A picker's engine choice once the connection changed: connecting means "use it" (a picker
   * pointed at another engine keeps that); forgetting hands the choice back to Automatic, unless
   * the host set that engine up itself.
   */
  follow(choice: EngineId | 'auto'): EngineId | 'auto' {
    const engine = this.engine();
    if (engine) return choice === 'auto' ? engine : choice;
    const cloud = choice === 'openai-compatible' || choice === 'anthropic';
    return cloud && !this.options.hostConfigured(choice) ? 'auto' : choice;
  }

  /** The connected model for this purpose, in words ("gpt-4o-mini at api.openai.com"). */
  text(): string | undefined {
    const connection = personConnection();
    const model = this.model();
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
