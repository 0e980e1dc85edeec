// The "Connect a model" form of the text engine picker: a service (OpenAI, OpenRouter, Ollama,
// LM Studio, Anthropic or another OpenAI-compatible server), its address, key and model, with
// the server's model list, a connection test and help when a server refuses web pages. A runtime
// asset (connect-form.js), loaded when a person opens the form: its templates are written with
// the block's own `html`, so it brings no second copy of Lit.
import {
  checkConnection,
  CONNECTION_PRESETS,
  type ConnectionCheck,
  type ConnectionPreset,
  type ModelConnection,
} from '@ai-blocks/runtime';

/** What the connection is for: AI Text and AI Chat's text model, or AI Image's image model. */
export type ConnectPurpose = 'text' | 'images';

/** Lit's `html` tag, as the block passes it in. */
export type HtmlTag = (strings: TemplateStringsArray, ...values: unknown[]) => unknown;

export interface ConnectFormOptions {
  html: HtmlTag;
  purpose: ConnectPurpose;
  /** The person's current connection, to edit or forget. */
  current: (ModelConnection & { remember: boolean }) | undefined;
  /** Engines the host configured itself: its settings win over the person's. */
  hostConfigured: (kind: ModelConnection['kind']) => boolean;
  /** Re-renders the block. */
  update: () => void;
  connect: (connection: ModelConnection, remember: boolean) => void;
  forget: () => void;
  close: () => void;
  fetch?: typeof fetch;
}

/** The open form: `render()` in the picker, `dispose()` when it closes. */
export interface ConnectForm {
  render(): unknown;
  dispose(): void;
}

interface Message {
  kind: 'ok' | 'error';
  text: string;
  help?: string;
}

/** Opens the form's state for one block. */
export function createConnectForm(options: ConnectFormOptions): ConnectForm {
  const { html, purpose } = options;
  // The page's connection, where it fits this purpose (an Anthropic key is no use for images).
  const current =
    options.current && (purpose === 'text' || options.current.kind === 'openai-compatible')
      ? options.current
      : undefined;
  // Anthropic has no image API: AI Image offers the OpenAI-compatible services only.
  const presets = CONNECTION_PRESETS.filter((entry) => purpose === 'text' || entry.kind === 'openai-compatible');
  let preset: ConnectionPreset =
    presets.find((candidate) => current && candidate.kind === current.kind && candidate.baseURL === current.baseURL) ??
    (current ? presetById('custom') : undefined) ??
    presetById('openai');
  let baseURL = current?.baseURL ?? preset.baseURL;
  let apiKey = current?.apiKey ?? '';
  let model = (purpose === 'images' ? current?.imageModel : current?.model) ?? '';
  let remember = current?.remember ?? false;
  let models: string[] | undefined;
  let checking: AbortController | undefined;
  let message: Message | undefined;

  const choosePreset = (id: string) => {
    preset = presetById(id);
    if (preset.baseURL || preset.kind === 'anthropic') baseURL = preset.baseURL;
    models = undefined;
    message = undefined;
    options.update();
  };

  /** Tests the connection; on success keeps the model list. */
  const check = async (): Promise<ConnectionCheck | undefined> => {
    checking?.abort();
    const abort = new AbortController();
    checking = abort;
    message = { kind: 'ok', text: `Asking ${hostOf(baseURL)}…` };
    options.update();
    try {
      const result = await checkConnection(
        { kind: preset.kind, baseURL, ...(apiKey ? { apiKey } : {}) },
        { signal: abort.signal, ...(options.fetch ? { fetch: options.fetch } : {}) },
      );
      if (checking !== abort) return undefined;
      if (result.ok) {
        models = result.models;
        if (!model && models?.length === 1) model = models[0] ?? '';
        message = {
          kind: 'ok',
          text: models
            ? `Connected: ${hostOf(baseURL)} offers ${String(models.length)} model${models.length === 1 ? '' : 's'}.`
            : `Connected: ${hostOf(baseURL)} answered, but lists no models here. Type the model’s name.`,
        };
      } else {
        const help =
          result.reason === 'cors'
            ? preset.corsHelp.replace('ORIGIN', globalThis.location.origin)
            : result.error.code === 'AUTHENTICATION'
              ? 'Check the API key: the server did not accept it.'
              : undefined;
        message = { kind: 'error', text: result.error.message, ...(help ? { help } : {}) };
      }
      return result;
    } catch {
      return undefined; // aborted: the form closed or a newer check started
    } finally {
      if (checking === abort) checking = undefined;
      options.update();
    }
  };

  const connect = async () => {
    if (preset.needsKey && !apiKey.trim()) {
      message = { kind: 'error', text: `${preset.label} needs an API key.` };
      options.update();
      return;
    }
    const result = await check();
    if (!result?.ok) return;
    if (!model.trim()) {
      message = { kind: 'error', text: 'Choose a model (the list under Model shows what the server offers).' };
      options.update();
      return;
    }
    if (result.models && !result.models.includes(model.trim())) {
      message = {
        kind: 'error',
        text: `${hostOf(baseURL)} does not offer “${model.trim()}”: choose one of its models.`,
      };
      options.update();
      return;
    }
    const key = apiKey.trim();
    const address = baseURL.trim();
    // One connection per page: the model for the other purpose stays when the server does.
    const same =
      options.current?.kind === preset.kind && options.current.baseURL === address ? options.current : undefined;
    const textModel = purpose === 'text' ? model.trim() : (same?.model ?? '');
    const imageModel = purpose === 'images' ? model.trim() : same?.imageModel;
    options.connect(
      {
        kind: preset.kind,
        baseURL: address,
        model: textModel,
        ...(imageModel ? { imageModel } : {}),
        ...(key ? { apiKey: key } : {}),
      },
      remember,
    );
  };

  const value = (event: Event) => (event.target as HTMLInputElement).value;

  return {
    dispose: () => {
      checking?.abort();
    },
    render: () =>
      html`<form
        class="connect-form"
        aria-labelledby="connect-title"
        data-connect-form
        novalidate
        @submit=${(event: Event) => {
          event.preventDefault();
          void connect();
        }}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Escape') options.close();
        }}
      >
        <p class="connect-title" id="connect-title"><strong>Connect a model</strong></p>
        <div class="row">
          <label for="connect-service">Service</label>
          <select id="connect-service" @change=${(event: Event) => choosePreset(value(event))}>
            ${presets.map(
              (entry) => html`<option value=${entry.id} ?selected=${entry.id === preset.id}>${entry.label}</option>`,
            )}
          </select>
        </div>
        <div class="row">
          <label for="connect-url">Address (base URL)</label>
          <input
            id="connect-url"
            type="url"
            inputmode="url"
            spellcheck="false"
            placeholder="https://…/v1"
            .value=${baseURL}
            @input=${(event: Event) => (baseURL = value(event))}
          />
        </div>
        <div class="row">
          <label for="connect-key">API key${preset.needsKey ? '' : ' (if the server wants one)'}</label>
          <input
            id="connect-key"
            type="password"
            autocomplete="off"
            spellcheck="false"
            .value=${apiKey}
            @input=${(event: Event) => (apiKey = value(event))}
          />
        </div>
        ${
          preset.keyUrl
            ? html`<p class="hint">
                Get a key at
                <a href=${preset.keyUrl} target="_blank" rel="noopener noreferrer">${hostOf(preset.keyUrl)}</a>.
              </p>`
            : ''
        }
        <div class="row">
          <label for="connect-model">${purpose === 'images' ? 'Image model' : 'Model'}</label>
          <input
            id="connect-model"
            list="connect-models"
            spellcheck="false"
            autocomplete="off"
            placeholder=${purpose === 'images' ? 'e.g. dall-e-3' : 'e.g. gpt-4o-mini'}
            .value=${model}
            @input=${(event: Event) => (model = value(event))}
          />
          <datalist id="connect-models">${(models ?? []).map((id) => html`<option value=${id}></option>`)}</datalist>
        </div>
        <label class="remember">
          <input
            type="checkbox"
            id="connect-remember"
            .checked=${remember}
            @change=${(event: Event) => (remember = (event.target as HTMLInputElement).checked)}
          />
          Remember this connection on this device
        </label>
        <p class="hint">
          The key stays in this page’s memory and is sent only to the address above; it is never saved in the page’s
          data. Remembered, it is kept in this browser’s storage for this site, where the site’s scripts can read it.
        </p>
        ${
          options.hostConfigured(preset.kind)
            ? html`<p class="hint" data-host-configured>
                This page has set up its own ${preset.kind === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible'} service:
                it is used instead of the one you connect here.
              </p>`
            : ''
        }
        <div class="row">
          <button type="button" part="button" data-action="check-connection" @click=${() => void check()}>
            Test and list models
          </button>
          <button type="submit" part="button" class="primary" data-action="connect">Connect</button>
          <button type="button" part="button" data-action="cancel-connect" @click=${() => options.close()}>
            Cancel
          </button>
          ${
            current
              ? html`<button
                  type="button"
                  part="button"
                  data-action="forget-connection"
                  @click=${() => options.forget()}
                >
                  Forget this connection
                </button>`
              : ''
          }
        </div>
        <p class="status" role="status" data-connect-status>${message?.kind === 'ok' ? message.text : ''}</p>
        ${
          message?.kind === 'error'
            ? html`<div class="error-notice" role="alert" data-connect-error>
                <p>${message.text}</p>
                ${message.help ? html`<p class="hint" data-connect-help>${message.help}</p>` : ''}
              </div>`
            : ''
        }
      </form>`,
  };
}

function presetById(id: string): ConnectionPreset {
  const preset = CONNECTION_PRESETS.find((candidate) => candidate.id === id) ?? CONNECTION_PRESETS[0];
  if (!preset) throw new TypeError('no connection presets');
  return preset;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
