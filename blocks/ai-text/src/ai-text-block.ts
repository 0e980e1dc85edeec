import {
  createGraphClient,
  EmbedderWatch,
  guardUnload,
  readTextBlock,
  releaseUnload,
  rootEntity,
  Saver,
  saveTextOutput,
  type SaveState,
  type TextBlockView,
  type TextOutput,
} from '@ai-blocks/persistence';
import { importModule, runtimeAssetUrl, streamText, type BlockEngineSettings, type LoadProgress, type TextEngine } from '@ai-blocks/runtime';
import { createLazyHighlighter, EngineChoiceController, loadMarkdownRenderer, runProvenance, GenerationController, GenerationStatus, renderEnginePicker, renderErrorNotice, StreamingMarkdownView, type HighlighterModule, type ErrorAction, type GenerationOutcome, type GenerationTiming } from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { aiTextBlockStyles } from './ai-text-block.styles.js';

type Mode = 'view' | 'compose' | 'edit';

// Code highlighting loads from the runtime assets the first time a code block appears.
const highlighter = createLazyHighlighter(() => importModule<HighlighterModule>(runtimeAssetUrl('highlight.js')));
// The Markdown renderer is a runtime asset too (it would double the main file).
const loadMarkdown = () => loadMarkdownRenderer(() => importModule(runtimeAssetUrl('markdown.js')));

/**
 * AI Text: write a prompt, watch the answer stream in as Markdown, and keep it as the
 * block's text — with a model in the cloud, behind the host, or in the browser.
 *
 * @summary Generates text with an AI model and saves it in the page's graph.
 * @csspart prompt - The prompt field.
 * @csspart output - The generated or kept text.
 * @csspart provenance - Engine, model, tokens and timing under the text.
 * @csspart button - Every button.
 * @csspart error - An error notice.
 * @cssproperty --ai-block-accent - Accent colour of primary buttons.
 * @cssproperty --ai-block-font - Font of the block.
 */
export class AiTextBlock extends BlockElementBase {
  static override styles = aiTextBlockStyles;

  static override properties = {
    ...BlockElementBase.properties,
    settings: { attribute: false },
    mode: { state: true },
    prompt: { state: true },
    systemPrompt: { state: true },
    temperature: { state: true },
    maxOutputTokens: { state: true },
    loadProgress: { state: true },
    saveState: { state: true },
    standalone: { state: true },
    draftText: { state: true },
  };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: BlockEngineSettings = {};

  protected mode: Mode = 'compose';
  protected prompt = '';
  protected systemPrompt = '';
  protected temperature = 0.7;
  protected maxOutputTokens = 1024;
  protected loadProgress: LoadProgress | undefined;
  protected saveState: SaveState = { status: 'idle', failures: 0 };
  protected standalone = false;
  protected draftText = '';

  private view: TextBlockView = readTextBlock(undefined);
  private lastEntityJson = '';
  /** Engine and model choice, with the reasons and the model picker's state. */
  private readonly engines = new EngineChoiceController(this, () => this.settings);
  private markdown: StreamingMarkdownView | undefined;
  private keptMarkdown: StreamingMarkdownView | undefined;
  private lastOutcome: { outcome: GenerationOutcome; timing: GenerationTiming; engine: TextEngine; prompt: string } | undefined;

  private readonly generation = new GenerationController(this, {
    onDelta: (delta) => this.markdown?.append(delta),
    onFinish: (outcome, timing) => {
      this.markdown?.end();
      if (this.pendingRun) this.lastOutcome = { outcome, timing, ...this.pendingRun };
    },
  });
  private pendingRun: { engine: TextEngine; prompt: string } | undefined;

  private readonly embedderWatch = new EmbedderWatch(() => {
    this.standalone = true;
  });

  private readonly saver = new Saver<TextOutput>({
    write: async (output) => {
      const entity = this.blockEntity();
      if (!entity || !this.graphModule) throw Object.assign(new Error('No embedder'), { name: 'GraphError', code: 'NO_EMBEDDER' });
      await saveTextOutput(createGraphClient(this.graphModule, { isReadonly: () => this.isReadonly }), entity, output);
    },
    onChange: (state) => {
      this.saveState = state;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void loadMarkdown();
    this.embedderWatch.start();
    this.addEventListener('keydown', this.handleKeydown);
    // Attached again (moved, re-rendered): write what is still unsaved; ask before the page is left meanwhile.
    this.saver.resume();
    guardUnload(this.saver);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.handleKeydown);
    this.embedderWatch.stop();
    this.saver.dispose();
    releaseUnload(this.saver);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('graph') && (this.graph as unknown)) {
      this.embedderWatch.markAnswered();
      this.standalone = false;
      const entity = rootEntity(this.graph.blockEntitySubgraph);
      const json = JSON.stringify(entity ?? null);
      if (json !== this.lastEntityJson) {
        this.lastEntityJson = json;
        this.view = readTextBlock(entity);
        const busy = this.generation.busy || this.mode === 'edit';
        if (!busy) {
          this.mode = this.view.text ? 'view' : 'compose';
          if (!this.prompt) this.prompt = this.view.prompt;
          if (this.view.systemPrompt !== undefined) this.systemPrompt = this.view.systemPrompt;
          if (this.view.temperature !== undefined) this.temperature = this.view.temperature;
          if (this.view.maxOutputTokens !== undefined) this.maxOutputTokens = this.view.maxOutputTokens;
        }
      }
    }
    if (changed.has('settings')) void this.engines.refresh();
  }

  protected override updated(): void {
    const output = this.renderRoot.querySelector<HTMLElement>('.generated');
    if (output && this.markdown?.element !== output) {
      this.markdown = new StreamingMarkdownView(output, { onCodeBlock: highlighter });
      this.markdown.setText(this.generation.text);
    }
    const kept = this.renderRoot.querySelector<HTMLElement>('.kept');
    if (kept && this.keptMarkdown?.element !== kept) {
      this.keptMarkdown = new StreamingMarkdownView(kept, { onCodeBlock: highlighter });
      this.keptMarkdown.setText(this.view.text);
    } else if (kept && this.keptMarkdown && this.keptMarkdown.source !== this.view.text) {
      this.keptMarkdown.setText(this.view.text);
    }
  }

  /** Whether the block may change anything (the host said readonly). */
  private get isReadonly(): boolean {
    return (this.graph as typeof this.graph | undefined)?.readonly === true;
  }

  private blockEntity() {
    return rootEntity((this.graph as typeof this.graph | undefined)?.blockEntitySubgraph);
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.generation.busy) {
      event.preventDefault();
      this.generation.stop();
    }
  };

  private async generate(): Promise<void> {
    const prompt = this.prompt.trim();
    const engineId = this.engines.selection?.choice;
    if (!prompt || !engineId || this.isReadonly) return;
    this.mode = 'compose';
    this.lastOutcome = undefined;
    this.markdown?.clear();
    this.loadProgress = undefined;
    await this.generation.start(async (signal) => {
      const engine = this.engines.engine(engineId);
      this.pendingRun = { engine, prompt };
      if (engine.load) {
        await engine.load({ abortSignal: signal, onProgress: (progress) => (this.loadProgress = progress) });
        // The model may have been downloaded just now: other pickers on the page should say so.
        this.engines.announceModelsChanged();
      }
      return streamText({
        engine,
        messages: [{ role: 'user', content: prompt }],
        ...(this.systemPrompt.trim() ? { system: this.systemPrompt.trim() } : {}),
        temperature: this.temperature,
        maxOutputTokens: this.maxOutputTokens,
        abortSignal: signal,
      });
    });
    this.loadProgress = undefined;
  }

  private keep(): void {
    const run = this.lastOutcome;
    if (!run || this.isReadonly) return;
    const { outcome, timing, engine, prompt } = run;
    const output: TextOutput = {
      prompt,
      text: outcome.text,
      temperature: this.temperature,
      maxOutputTokens: this.maxOutputTokens,
      provenance: runProvenance(engine, outcome, timing),
    };
    if (this.systemPrompt.trim()) output.systemPrompt = this.systemPrompt.trim();
    // Show the kept text at once; the saver writes it (and retries) in the background.
    this.view = { ...this.view, prompt: output.prompt, text: output.text, provenance: output.provenance };
    this.mode = 'view';
    this.generation.reset();
    void this.saver.save(output);
  }

  private discard(): void {
    this.generation.reset();
    this.lastOutcome = undefined;
    this.markdown?.clear();
    this.mode = this.view.text ? 'view' : 'compose';
  }

  private saveEdit(): void {
    const text = this.draftText;
    this.view = { ...this.view, text };
    this.mode = 'view';
    void this.saver.save({ prompt: this.view.prompt, text, provenance: this.view.provenance, ...(this.view.systemPrompt ? { systemPrompt: this.view.systemPrompt } : {}) });
  }

  private async copy(text: string): Promise<void> {
    await navigator.clipboard.writeText(text).catch(() => undefined);
  }

  private handleErrorAction(action: ErrorAction): void {
    if (action === 'retry') void this.generate();
    else if (action === 'switch-engine') this.renderRoot.querySelector<HTMLSelectElement>('#engine')?.focus();
    else if (action === 'shorten-input' || action === 'rephrase') this.renderRoot.querySelector<HTMLTextAreaElement>('#prompt')?.focus();
  }

  override render() {
    const readonly = this.isReadonly;
    if (readonly) {
      return this.view.text ? this.renderKept(true) : html`<p class="status">Nothing has been written yet.</p>`;
    }
    return html`
      ${this.standalone ? html`<p class="status" role="status">This block is not connected to a page that saves it: what you generate stays here until you leave.</p>` : nothing}
      ${this.mode === 'view' ? this.renderKept(false) : nothing}
      ${this.mode === 'edit' ? this.renderEditor() : nothing}
      ${this.mode === 'compose' ? this.renderComposer() : nothing}
      ${this.renderSaveState()}
    `;
  }

  private renderKept(readonly: boolean) {
    const provenance = this.view.provenance;
    return html`${this.view.prompt ? html`<p class="hint prompt-line"><span>Prompt:</span> ${this.view.prompt}</p>` : nothing}
      <article class="output" part="output" aria-label="Saved text">
        <div class="markdown kept"></div>
      </article>
      ${this.renderProvenance(provenance.engineId, provenance.modelId, provenance.outputTokens, provenance.durationMs, provenance.completionStatus)}
      ${readonly
        ? nothing
        : html`<div class="row">
            <button type="button" part="button" @click=${() => { this.draftText = this.view.text; this.mode = 'edit'; }}>Edit</button>
            <button type="button" part="button" @click=${() => { this.prompt = this.view.prompt; this.mode = 'compose'; }}>Regenerate…</button>
            <button type="button" part="button" @click=${() => void this.copy(this.view.text)}>Copy</button>
          </div>`}`;
  }

  private renderEditor() {
    return html`<div class="composer">
      <label for="edit-text">Text (Markdown)</label>
      <textarea id="edit-text" .value=${this.draftText} @input=${(event: Event) => { this.draftText = (event.target as HTMLTextAreaElement).value; }}></textarea>
      <div class="row">
        <button type="button" class="primary" part="button" @click=${() => { this.saveEdit(); }}>Save</button>
        <button type="button" part="button" @click=${() => { this.mode = 'view'; }}>Cancel</button>
      </div>
    </div>`;
  }

  private renderComposer() {
    const status = this.generation.status;
    const busy = this.generation.busy;
    const choice = this.engines.selection?.choice;
    const outcome = this.generation.outcome;
    return html`<div class="composer">
      ${renderEnginePicker(this.engines, { busy })}
      <label for="prompt">Prompt</label>
      <textarea id="prompt" part="prompt" .value=${this.prompt} placeholder="What should the AI write?" aria-describedby="prompt-hint"
        @input=${(event: Event) => { this.prompt = (event.target as HTMLTextAreaElement).value; }}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void this.generate();
          }
        }}></textarea>
      <span class="hint" id="prompt-hint">Ctrl+Enter (⌘+Enter) generates; Esc stops.</span>
      <details>
        <summary>Settings</summary>
        <div class="composer">
          <label for="system">System instruction</label>
          <textarea id="system" .value=${this.systemPrompt} @input=${(event: Event) => { this.systemPrompt = (event.target as HTMLTextAreaElement).value; }}></textarea>
          <div class="row">
            <label for="temperature">Temperature ${this.temperature.toFixed(1)}</label>
            <input id="temperature" type="range" min="0" max="2" step="0.1" .value=${String(this.temperature)} @input=${(event: Event) => { this.temperature = Number((event.target as HTMLInputElement).value); }} />
            <label for="length">Max length (tokens)</label>
            <input id="length" type="number" min="1" max="32000" .value=${String(this.maxOutputTokens)} @change=${(event: Event) => { this.maxOutputTokens = Math.max(1, Number((event.target as HTMLInputElement).value) || 1); }} />
          </div>
        </div>
      </details>
      <div class="row">
        <button type="button" class="primary" part="button" data-action="generate" ?disabled=${busy || !this.prompt.trim() || !choice} @click=${() => void this.generate()}>
          ${outcome ? 'Regenerate' : 'Generate'}
        </button>
        ${busy ? html`<button type="button" part="button" data-action="stop" @click=${() => { this.generation.stop(); }}>Stop</button>` : nothing}
      </div>
      ${status === GenerationStatus.LOADING && this.loadProgress
        ? html`<div role="status"><progress max="1" .value=${this.loadProgress.fraction} aria-label="Loading the model"></progress> <span class="hint">${this.loadProgress.text}</span></div>`
        : nothing}
      ${status !== GenerationStatus.IDLE ? this.renderGenerated() : nothing}
    </div>`;
  }

  private renderGenerated() {
    const outcome = this.generation.outcome;
    const run = this.lastOutcome;
    return html`<section class="output" part="output" aria-label="Generated text" aria-busy=${this.generation.busy ? 'true' : 'false'}>
        <div class="markdown generated" aria-live="polite"></div>
        ${this.generation.status === GenerationStatus.STREAMING ? html`<span class="visually-hidden">Writing…</span>` : nothing}
      </section>
      ${outcome?.status === 'aborted' ? html`<p class="status" role="status">Stopped. The partial text is kept.</p>` : nothing}
      ${outcome?.status === 'error' && outcome.error ? renderErrorNotice(outcome.error, (action) => { this.handleErrorAction(action); }) : nothing}
      ${run ? this.renderProvenance(run.engine.engineId, run.engine.modelId, run.outcome.usage?.outputTokens, (run.timing.finishedAt ?? 0) - run.timing.startedAt, run.outcome.status === 'complete' ? 'complete' : 'stopped') : nothing}
      ${outcome && outcome.text
        ? html`<div class="row">
            <button type="button" class="primary" part="button" data-action="keep" @click=${() => { this.keep(); }}>Keep</button>
            <button type="button" part="button" data-action="discard" @click=${() => { this.discard(); }}>Discard</button>
            <button type="button" part="button" @click=${() => void this.copy(outcome.text)}>Copy</button>
          </div>`
        : nothing}`;
  }

  private renderProvenance(engineId: string | undefined, modelId: string | undefined, tokens: number | undefined, durationMs: number | undefined, status: string | undefined) {
    if (!engineId && !modelId) return nothing;
    const seconds = durationMs !== undefined ? durationMs / 1000 : undefined;
    const rate = tokens !== undefined && seconds ? `${(tokens / seconds).toFixed(1)} tokens/s` : undefined;
    const parts = [engineId, modelId, tokens !== undefined ? `${tokens} tokens` : undefined, seconds !== undefined ? `${seconds.toFixed(1)} s` : undefined, rate, status === 'stopped' ? 'stopped early' : undefined].filter(Boolean);
    return html`<p class="provenance" part="provenance">${parts.join(' · ')}</p>`;
  }

  private renderSaveState() {
    const state = this.saveState;
    if (state.status === 'idle') return nothing;
    const text =
      state.status === 'saving' ? 'Saving…'
      : state.status === 'saved' ? 'Saved'
      : state.status === 'readonly' ? 'Not saved: this page is read-only.'
      : state.status === 'offline' ? 'Not saved: no page to save to.'
      : `Not saved yet${state.nextRetryAt ? ' — retrying' : ''}${state.lastError ? ` (${state.lastError.message})` : ''}.`;
    return html`<p class="status save-status" role="status" data-save=${state.status}>
      ${text}
      ${state.status === 'unsaved' && !state.nextRetryAt ? html`<button type="button" part="button" @click=${() => { this.saver.retryNow(); }}>Retry now</button>` : nothing}
    </p>`;
  }
}
