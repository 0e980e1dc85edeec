// AI Image's composer: the prompt, the engine and model picker, the options that follow the
// engine, Generate and Stop, and the run's state (download, one step per denoising step, errors).
import type { GeneratedImage } from '@ai-blocks/runtime';
import {
  onCtrlEnter,
  renderErrorNotice,
  renderLoadProgress,
  type ErrorAction,
  type ImageRunController,
  type ImageRunStep,
} from '@ai-blocks/ui';
import { html, nothing, type TemplateResult } from 'lit';
import type { ImageModelOptions } from './image-models.js';

/** An option the person sets. */
export type ImageOption = 'count' | 'size' | 'quality' | 'steps';

/** What the composer shows and what it calls back. */
export interface ComposerView {
  prompt: string;
  promptFromGraph: boolean;
  busy: boolean;
  options: ImageModelOptions;
  values: Record<ImageOption, string>;
  picker: TemplateResult;
  status: TemplateResult | typeof nothing;
  onPrompt: (prompt: string) => void;
  onOption: (option: ImageOption, value: string) => void;
  onGenerate: () => void;
  onStop: () => void;
}

const valueOf = (event: Event) => (event.target as HTMLSelectElement | HTMLTextAreaElement).value;

function renderSelect(
  view: ComposerView,
  option: ImageOption,
  label: string,
  values: readonly string[],
  disabled = false,
): TemplateResult {
  const current = view.values[option];
  return html`<label for=${option}>${label}</label>
    <select
      id=${option}
      .value=${current}
      ?disabled=${view.busy || disabled}
      @change=${(event: Event) => {
        view.onOption(option, valueOf(event));
      }}
    >
      ${option === 'quality' ? html`<option value="" ?selected=${current === ''}>Default</option>` : nothing}
      ${values.map((value) => html`<option value=${value} ?selected=${value === current}>${value}</option>`)}
    </select>`;
}

/** The picker (one line above the prompt), the prompt, the options, Generate and Stop, and the run's state. */
export function renderComposer(view: ComposerView): TemplateResult {
  const { options } = view;
  return html`<div class="composer">
    ${view.picker}
    <label for="prompt">Describe the picture</label>
    <textarea
      id="prompt"
      part="prompt"
      .value=${view.prompt}
      ?disabled=${view.busy}
      @input=${(event: Event) => {
        view.onPrompt(valueOf(event));
      }}
      @keydown=${onCtrlEnter(view.onGenerate)}
    ></textarea>
    ${view.promptFromGraph ? html`<p class="hint prompt-line">Last prompt: ${view.prompt}</p>` : nothing}
    <div class="row">
      ${renderSelect(view, 'count', 'Images', options.counts.map(String), options.counts.length === 1)}
      ${renderSelect(view, 'size', 'Size', options.sizes, options.sizes.length === 1)}
      ${options.steps ? renderSelect(view, 'steps', 'Steps', options.steps.map(String)) : nothing}
      ${options.qualities ? renderSelect(view, 'quality', 'Quality', options.qualities) : nothing}
    </div>
    ${options.counts.length === 1 ? html`<p class="hint">This model makes one image at a time.</p>` : nothing}
    <div class="row">
      <button
        type="button"
        class="primary"
        part="button"
        data-action="generate"
        ?disabled=${view.busy || !view.prompt.trim()}
        @click=${view.onGenerate}
      >
        Generate
      </button>
      ${
        view.busy
          ? html`<button type="button" part="button" data-action="cancel" @click=${view.onStop}>Stop</button>`
          : nothing
      }
    </div>
    ${view.status}
  </div>`;
}

function renderRunning(seconds: number, step: ImageRunStep | undefined): TemplateResult {
  if (!step)
    return html`<div role="status">
      <progress aria-label="Generating images"></progress><span class="hint">Generating… ${seconds} s</span>
    </div>`;
  return html`<div role="status" data-step=${step.step} data-total-steps=${step.totalSteps}>
    <progress max=${step.totalSteps} .value=${step.step} aria-label="Denoising steps"></progress>
    <span class="hint">Step ${step.step} of ${step.totalSteps} · ${seconds} s</span>
  </div>`;
}

/** The run's state: the model's download and load, the denoising steps, or an error notice. */
export function renderRunStatus<M>(
  run: ImageRunController<GeneratedImage, M>,
  onErrorAction: (action: ErrorAction) => void,
): TemplateResult | typeof nothing {
  return (
    run.render<TemplateResult | typeof nothing>({
      loading: renderLoadProgress,
      running: renderRunning,
      aborted: () => html`<p class="hint" role="status" data-outcome="aborted">Stopped. Nothing was kept.</p>`,
      error: (_run, outcome) => (outcome.error ? renderErrorNotice(outcome.error, onErrorAction) : nothing),
    }) ?? nothing
  );
}
