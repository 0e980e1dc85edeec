import {
  canPickEngine,
  ENGINE_IDS,
  ENGINE_LABELS,
  formatBytes,
  type EngineId,
  type BuiltInAiState,
  type EngineSelection,
  type ModelState,
} from '@ai-blocks/runtime';
import { css, html, noChange, nothing, type TemplateResult } from 'lit';
import type { ConnectLink } from './connect-link.js';
import type { DeleteConfirmation } from './delete-confirmation.js';
import { renderDownloadConsent, type DownloadConsent } from './download-consent.js';
import { renderBrowserAi } from './render-browser-ai.js';
import type { ModelDownload } from './engine-choice-controller.js';

/** A model as the picker lists it (text and image catalogue models both fit). */
export interface PickerModel {
  id: string;
  name: string;
  licence: string;
  memoryBytes?: number;
  testModel?: boolean;
}

/**
 * What the picker reads and calls: `EngineChoiceController` (text) and
 * `ImageEngineChoiceController` (images) both provide it.
 */
export interface EnginePicking<M extends PickerModel = PickerModel> {
  engineChoice: EngineId | 'auto';
  selection: EngineSelection | undefined;
  fallbackNotice?: string | undefined;
  models: M[];
  states: ReadonlyMap<string, ModelState>;
  download: ModelDownload | undefined;
  downloadError: string | undefined;
  storage: { usage: number; quota: number } | undefined;
  /** The engines to list (default: every text engine). */
  engineIds?: readonly EngineId[];
  threadsNote(): string | undefined;
  /** An engine's name in the list, when it depends on this page (default: the engine table's label). */
  engineLabel?(engineId: EngineId): string;
  activeLocalModel(): M | undefined;
  /** Where a model runs, for its row ("CPU", "GPU or CPU"). */
  whereModelRuns(model: M): string;
  /** More a person should read before downloading (e.g. sizes are estimates). */
  modelNote?(model: M): string | undefined;
  setEngine(choice: EngineId | 'auto'): void;
  chooseModel(model: M): void;
  downloadModel(model: M): Promise<void>;
  cancelDownload(): void;
  deleteModel(model: M): Promise<void>;
  /** Adding a GGUF by URL or file (text models only). */
  addModelUrl?(url: string): string | undefined;
  addModelFile?(file: File): void;
  /** Chrome's built-in model (text blocks): its state, and its download, started from a click. */
  browserAiState?(): BuiltInAiState | undefined;
  downloadBrowserAi?(): void;
  /** A run waiting for the person to agree to its model's download (asked in the picker). */
  consent?: DownloadConsent;
  /** Asks before a downloaded model is deleted. */
  deletion?: DeleteConfirmation;
  /** Connecting a cloud model from the picker: the form, and the model the person connected. */
  connect?: ConnectLink;
}

/**
 * A model's state in words: cached, needs N MB, or not available here and why. The bundled test
 * model (`testModel`) comes with the blocks' assets: it loads on first use, nothing to download.
 */
export function describeModelState(state: ModelState | undefined, model?: { testModel?: boolean }): string {
  if (!state) return 'Checking…';
  if (model?.testModel && state.kind === 'download')
    return `Comes with the blocks${state.bytes > 0 ? ` (${formatBytes(state.bytes)})` : ''}, loads on first use`;
  if (state.kind === 'ready') {
    const size = state.bytes ? ` · ${formatBytes(state.bytes)}` : '';
    return `${state.source === 'file' ? 'From your disk' : 'Downloaded'}${size}`;
  }
  if (state.kind === 'download')
    return state.bytes > 0 ? `Needs a ${formatBytes(state.bytes)} download` : 'Downloads when first used';
  return `Not available here: ${state.reason}`;
}

/**
 * The engine picker (with the selection's reasons) and, for in-browser engines, the model
 * picker: each model's state, download with progress and cancel, delete, storage used, and
 * adding a model by URL or file.
 */
export function renderEnginePicker<M extends PickerModel>(
  controller: EnginePicking<M>,
  options: { busy: boolean },
): TemplateResult {
  const { selection, engineChoice } = controller;
  const choice = selection?.choice;
  const local = choice === 'wasm' || choice === 'webllm' || engineChoice === 'wasm' || engineChoice === 'webllm';
  const download = selection?.pendingDownloadBytes;
  const downloadNote =
    download && !selection.summarySaysDownload ? ` The model needs a one-time ${formatBytes(download)} download.` : '';
  const threads = choice === 'wasm' ? controller.threadsNote() : undefined;
  const label = (engineId: EngineId) => controller.engineLabel?.(engineId) ?? ENGINE_LABELS[engineId];
  const engineIds = controller.engineIds ?? ENGINE_IDS;
  // Why each engine that cannot run here cannot: under the summary, not in the option labels
  // (a long option widens the select past a phone's width).
  const unavailable = engineIds.flatMap((engineId) => {
    const reason = canPickEngine(selection, engineId) ? undefined : selection?.reasons[engineId]?.text;
    return reason ? [[engineId, reason] as const] : [];
  });
  // Opens by itself when nothing can run (the person must choose or connect something); never
  // closes by itself (noChange), so it does not shut under a person who opened it.
  return html`<details
      class="engine-picker"
      part="engine-picker"
      .open=${selection !== undefined && !selection.choice && !options.busy ? true : noChange}
    >
      <summary data-engine-line>${renderEngineLine(controller, label)}</summary>
      <div class="engine-panel">
        <div class="row">
          <label for="engine">Engine</label>
          <select
            id="engine"
            ?disabled=${options.busy}
            @change=${(event: Event) => {
              controller.setEngine((event.target as HTMLSelectElement).value as EngineId | 'auto');
            }}
          >
            <option value="auto" ?selected=${engineChoice === 'auto'}>
              Automatic${choice ? ` (${label(choice)})` : ''}
            </option>
            ${engineIds.map(
              (engineId) =>
                html`<option
                  value=${engineId}
                  ?selected=${engineId === engineChoice}
                  ?disabled=${!canPickEngine(selection, engineId)}
                >
                  ${label(engineId)}
                </option>`,
            )}
          </select>
        </div>
        ${renderConnect(controller, options.busy)}
        ${selection ? html`<p class="hint" id="engine-summary">${selection.summary}${downloadNote}</p>` : nothing}
        ${renderUnavailable(unavailable, label)}
        ${threads ? html`<p class="hint" data-threads>${threads}</p>` : nothing}
        ${renderBrowserAi(controller, options.busy)} ${local ? renderModelPicker(controller, options.busy) : nothing}
      </div>
    </details>
    ${
      controller.fallbackNotice
        ? html`<p class="status" role="status" data-notice="fallback">${controller.fallbackNotice}</p>`
        : nothing
    }
    ${renderDownloadConsent(controller.consent)}`;
}

/**
 * The picker's one line while it is closed: what will answer (the model, or the engine when it
 * has no model to name), whether the choice is automatic, and a download still to come.
 */
function renderEngineLine<M extends PickerModel>(
  controller: EnginePicking<M>,
  label: (engineId: EngineId) => string,
): TemplateResult {
  const { selection, engineChoice } = controller;
  const choice = selection?.choice;
  if (!choice)
    return html`<span class="engine-line-label">Model</span>
      <strong>${selection ? 'none can run here' : 'checking…'}</strong>`;
  const local = choice === 'wasm' || choice === 'webllm' ? controller.activeLocalModel() : undefined;
  const connected = choice === 'openai-compatible' || choice === 'anthropic' ? controller.connect?.text() : '';
  const what = local?.name ?? (connected || label(choice));
  const download = selection.pendingDownloadBytes;
  const notes = [
    local ? `in this browser (${controller.whereModelRuns(local)})` : undefined,
    engineChoice === 'auto' ? 'chosen automatically' : undefined,
    download ? `needs a ${formatBytes(download)} download` : undefined,
  ].filter(Boolean);
  return html`<span class="engine-line-label">Model</span>
    <strong>${what}</strong> ${notes.length ? html`<span class="hint">— ${notes.join(', ')}</span>` : nothing}`;
}

function renderConnect<M extends PickerModel>(controller: EnginePicking<M>, busy: boolean): unknown {
  const link = controller.connect;
  if (!link) return nothing;
  if (link.form) return link.form.render();
  const connected = link.text();
  return html`<div class="row connect">
    ${connected ? html`<span class="hint" data-connection>Connected: ${connected}</span>` : nothing}
    <button type="button" part="button" data-action="open-connect" ?disabled=${busy} @click=${() => void link.open()}>
      ${connected ? 'Change connection…' : 'Connect a model…'}
    </button>
    ${link.error ? html`<p class="status" role="alert">${link.error}</p>` : nothing}
  </div>`;
}

function renderUnavailable(
  unavailable: readonly (readonly [EngineId, string])[],
  label: (engineId: EngineId) => string,
): TemplateResult | typeof nothing {
  if (!unavailable.length) return nothing;
  const count = unavailable.length;
  return html`<details class="engine-notes hint">
    <summary>${count === 1 ? 'One engine is' : `${String(count)} engines are`} not available here: why</summary>
    <ul>
      ${unavailable.map(([engineId, reason]) => html`<li data-reason=${engineId}>${label(engineId)}: ${reason}</li>`)}
    </ul>
  </details>`;
}

function renderModelPicker<M extends PickerModel>(controller: EnginePicking<M>, busy: boolean): TemplateResult {
  const active = controller.activeLocalModel();
  const downloading = controller.download;
  const storage = controller.storage;
  return html`<details class="model-picker" part="model-picker">
    <summary>
      Model: ${active?.name ?? 'none'}
      <span class="hint">— ${describeModelState(active ? controller.states.get(active.id) : undefined, active)}</span>
    </summary>
    <div class="models" role="radiogroup" aria-label="In-browser models">
      ${controller.models.map((model) => renderModel(controller, model, model.id === active?.id, busy))}
    </div>
    ${
      downloading
        ? html`<div role="status" class="download">
            <progress max="1" .value=${downloading.progress.fraction} aria-label="Downloading the model"></progress>
            <span class="hint">${downloading.progress.text}${bytesSoFar(downloading.progress)}</span>
            <button
              type="button"
              part="button"
              data-action="cancel-download"
              @click=${() => {
                controller.cancelDownload();
              }}
            >
              Cancel download
            </button>
          </div>`
        : nothing
    }
    ${controller.downloadError ? html`<p class="status" role="alert">${controller.downloadError}</p>` : nothing}
    ${
      storage
        ? html`<p class="hint" data-storage>
            Storage used by this site: ${formatBytes(storage.usage)} of ${formatBytes(storage.quota)}.
          </p>`
        : nothing
    }
    ${controller.addModelUrl ? renderAddModel(controller) : nothing}
  </details>`;
}

function renderAddModel<M extends PickerModel>(controller: EnginePicking<M>): TemplateResult {
  return html`<div class="row add-model">
    <label for="model-url">Add a GGUF by URL</label>
    <input
      id="model-url"
      type="url"
      placeholder="https://…/model.gguf"
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          addUrl(controller, event.target as HTMLInputElement);
        }
      }}
    />
    <button
      type="button"
      part="button"
      data-action="add-model"
      @click=${(event: Event) => {
        addUrl(controller, (event.target as HTMLElement).parentElement?.querySelector('input') ?? undefined);
      }}
    >
      Add
    </button>
    <label for="model-file">or open one from your disk</label>
    <input
      id="model-file"
      type="file"
      accept=".gguf"
      @change=${(event: Event) => {
        const file = (event.target as HTMLInputElement).files?.[0];
        if (file) controller.addModelFile?.(file);
      }}
    />
  </div>`;
}

function addUrl<M extends PickerModel>(controller: EnginePicking<M>, input: HTMLInputElement | undefined): void {
  if (!input?.value || !controller.addModelUrl) return;
  const error = controller.addModelUrl(input.value);
  input.setCustomValidity(error ?? '');
  if (error) input.reportValidity();
  else input.value = '';
}

function renderModel<M extends PickerModel>(
  controller: EnginePicking<M>,
  model: M,
  chosen: boolean,
  busy: boolean,
): TemplateResult {
  const state = controller.states.get(model.id);
  const unsupported = state?.kind === 'unsupported';
  const id = `model-${model.id.replace(/[^a-z0-9]+/gi, '-')}`;
  const downloading = controller.download?.modelId === model.id;
  const memoryNote = model.memoryBytes ? ` · needs ≈ ${formatBytes(model.memoryBytes)} memory` : '';
  const note = controller.modelNote?.(model);
  return html`<div class="model" data-model=${model.id} data-state=${state?.kind ?? 'checking'}>
    <input
      type="radio"
      id=${id}
      name="model"
      .checked=${chosen}
      ?disabled=${unsupported || busy}
      @change=${() => {
        controller.chooseModel(model);
      }}
    />
    <label for=${id}>${model.name} <span class="hint">(${controller.whereModelRuns(model)})</span></label>
    <span class="hint model-state">${describeModelState(state, model)}${memoryNote} · ${model.licence}</span>
    ${note ? html`<span class="hint model-note">${note}</span>` : nothing}
    ${
      state?.kind === 'ready' && state.warning
        ? html`<span class="hint model-warning" role="note">${state.warning}</span>`
        : nothing
    }
    ${
      state?.kind === 'download' && !unsupported && !downloading
        ? html`<button
            type="button"
            part="button"
            data-action="download-model"
            ?disabled=${Boolean(controller.download) || busy}
            @click=${() => void controller.downloadModel(model)}
          >
            Download
          </button>`
        : nothing
    }
    ${
      state?.kind === 'ready' && state.source === 'cache' && !model.testModel
        ? controller.deletion?.modelId === model.id
          ? renderDeleteQuestion(controller, model, state.bytes)
          : html`<button
              type="button"
              part="button"
              data-action="delete-model"
              aria-label=${`Delete ${model.name}`}
              ?disabled=${busy}
              @click=${() => {
                if (controller.deletion) controller.deletion.ask(model.id);
                else void controller.deleteModel(model);
              }}
            >
              Delete
            </button>`
        : nothing
    }
  </div>`;
}

function renderDeleteQuestion<M extends PickerModel>(
  controller: EnginePicking<M>,
  model: M,
  bytes: number | undefined,
): TemplateResult {
  const deletion = controller.deletion;
  const frees = bytes ? ` It frees ${formatBytes(bytes)};` : '';
  return html`<div class="delete-question" role="group" aria-labelledby="delete-question-text">
    <span id="delete-question-text">
      Delete ${model.name} from this browser?${frees} using it again means downloading it again.
    </span>
    <button
      type="button"
      part="button"
      data-action="confirm-delete"
      @click=${() => void deletion?.confirm(() => controller.deleteModel(model))}
    >
      Delete
    </button>
    <button type="button" part="button" data-action="cancel-delete" @click=${() => deletion?.cancel()}>Keep</button>
  </div>`;
}

/** Layout of the picker (the blocks' base styles give the controls their look). */
export const enginePickerStyles = css`
  .engine-picker > summary {
    cursor: pointer;
    padding: 0.3rem 0;
  }
  .engine-line-label {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .engine-panel {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.4rem;
    padding: 0.4rem 0 0.2rem 0.9rem;
    border-inline-start: 2px solid var(--_border);
    margin-block-end: 0.3rem;
  }
  .model-picker summary,
  .engine-notes summary {
    cursor: pointer;
  }
  .connect-form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.45rem;
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 0.6rem 0.75rem;
  }
  .connect-form p {
    margin: 0;
  }
  .connect-form input:not([type='checkbox']) {
    flex: 1 1 14rem;
  }
  .engine-notes ul {
    margin: 0.3rem 0;
    padding-inline-start: 1.2rem;
  }
  .models {
    display: grid;
    gap: 0.35rem;
    margin: 0.4rem 0;
  }
  .model {
    display: grid;
    grid-template-columns: auto 1fr auto;
    column-gap: 0.4rem;
    align-items: center;
  }
  .model .model-state {
    grid-column: 2;
  }
  .model button {
    grid-column: 3;
    grid-row: 1 / span 2;
  }
  .model .delete-question {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: center;
  }
  .model .delete-question button {
    grid-column: auto;
    grid-row: auto;
  }
  .add-model input[type='url'] {
    flex: 1 1 14rem;
  }
`;

/** " — 12 MB of 130 MB" while a download reports its total. */
function bytesSoFar(progress: { loadedBytes?: number | undefined; totalBytes?: number | undefined }): string {
  return progress.totalBytes
    ? ` — ${formatBytes(progress.loadedBytes ?? 0)} of ${formatBytes(progress.totalBytes)}`
    : '';
}
