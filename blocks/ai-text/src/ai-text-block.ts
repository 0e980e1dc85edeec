import { streamText, type BlockEngineSettings } from '@ai-blocks/runtime';
import {
  EngineChoiceController,
  EscapeStopsController,
  focusForErrorAction,
  GenerationController,
  GenerationStatus,
  highlightCodeBlocks,
  loadRuntimeMarkdown,
  onCtrlEnter,
  renderEnginePicker,
  renderLoadProgress,
  renderHubPreview,
  renderSaveStatus,
  StreamingMarkdownView,
  type ErrorAction,
} from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { aiTextBlockStyles } from './ai-text-block.styles.js';
import { QuickActionsController } from './quick-actions.js';
import { renderQuickActions } from './quick-actions-view.js';
import { TextOutputController } from './text-output.js';
import {
  renderKeptText,
  renderPromptField,
  renderGeneratedText,
  renderTextEditor,
  renderTextSettings,
} from './text-views.js';

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
  static override properties = { ...BlockElementBase.properties, settings: { attribute: false } };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: BlockEngineSettings = {};

  /** Engine and model choice, with the reasons and the model picker's state. */
  private readonly engines = new EngineChoiceController(this, () => this.settings);
  private readonly generation = new GenerationController<{ prompt: string }>(this, {
    onDelta: (delta) => this.markdown?.append(delta),
    onFinish: () => this.markdown?.end(),
  });
  /** The kept text, the prompt form and its settings, and how they are saved. */
  private readonly output = new TextOutputController(
    this,
    { graph: () => this.graph, graphModule: () => this.graphModule },
    () => this.generation.busy,
  );
  /** Summarise, shorter, longer, tone: on the kept text (the browser's writing APIs, else the engine). */
  private readonly quick = new QuickActionsController(this, { engines: this.engines });
  private markdown: StreamingMarkdownView | undefined;

  constructor() {
    super();
    new EscapeStopsController(this, this.generation);
    void loadRuntimeMarkdown();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('settings')) void this.engines.refresh();
  }

  /** The streamed answer's view, on the element Lit renders for it (a new one when Lit re-creates it). */
  private readonly attachStream = (element: Element | undefined): void => {
    if (!(element instanceof HTMLElement) || this.markdown?.element === element) return;
    this.markdown = new StreamingMarkdownView(element, { onCodeBlock: highlightCodeBlocks });
    this.markdown.setText(this.generation.text);
  };

  private async handleGenerate(): Promise<void> {
    const prompt = this.output.prompt.trim();
    const engineId = this.engines.selection?.choice;
    if (!prompt || !engineId || this.output.entities.readonly) return;
    // A large model is downloaded only once the person agreed (the picker asks, then runs this).
    if (!this.engines.allowsRun(() => void this.handleGenerate())) return;
    this.output.mode = 'compose';
    this.markdown?.clear();
    const engine = this.engines.engine(engineId);
    const { system, temperature, maxOutputTokens } = this.output;
    const messages = [{ role: 'user' as const, content: prompt }];
    await this.generation.run(
      engine,
      (abortSignal) =>
        streamText({ engine, messages, ...(system ? { system } : {}), temperature, maxOutputTokens, abortSignal }),
      // The model may have been downloaded just now: other pickers on the page should say so.
      { meta: { prompt }, onLoaded: () => this.engines.announceModelsChanged() },
    );
  }

  private handleKeep(): void {
    const run = this.generation.lastRun;
    if (!run || this.output.entities.readonly) return;
    this.output.keep({ prompt: run.meta.prompt, text: run.outcome.text, provenance: run.provenance });
    this.generation.reset();
  }

  private handleDiscard(): void {
    this.generation.reset();
    this.markdown?.clear();
    this.output.discard();
  }

  private handleErrorAction(action: ErrorAction): void {
    if (action === 'retry') void this.handleGenerate();
    else focusForErrorAction(this.renderRoot, action, '#prompt');
  }

  override render() {
    const { output } = this;
    const { entities, mode, view } = output;
    if (entities.readonly)
      return view.text ? renderKeptText(view) : html`<p class="status">Nothing has been written yet.</p>`;
    return renderHubPreview(
      entities.hubPreview,
      html`
        ${
          entities.standalone
            ? html`<p class="status" role="status">
                This block is not connected to a page that saves it: what you generate stays here until you leave.
              </p>`
            : nothing
        }
        ${
          mode === 'view'
            ? html`${renderKeptText(view, { onEdit: () => output.edit(), onRegenerate: () => output.regenerate() })}
              ${renderQuickActions(this.quick, output)}`
            : nothing
        }
        ${mode === 'edit' ? renderTextEditor(output) : nothing} ${mode === 'compose' ? this.renderComposer() : nothing}
        ${renderSaveStatus(output.saveState, () => output.retrySave())}
      `,
    );
  }

  private renderComposer() {
    const { output, generation } = this;
    const busy = generation.busy;
    return html`<div class="composer">
      ${renderEnginePicker(this.engines, { busy })}
      ${renderPromptField(
        output,
        onCtrlEnter(() => void this.handleGenerate()),
      )}
      ${renderTextSettings(output)}
      <div class="row">
        <button
          type="button"
          class="primary"
          part="button"
          data-action="generate"
          ?disabled=${busy || !output.prompt.trim() || !this.engines.selection?.choice}
          @click=${() => void this.handleGenerate()}
        >
          ${generation.outcome?.text ? 'Regenerate' : 'Generate'}
        </button>
        ${
          busy
            ? html`<button type="button" part="button" data-action="stop" @click=${() => generation.stop()}>
                Stop
              </button>`
            : output.view.text && !generation.outcome?.text
              ? html`<button type="button" part="button" data-action="cancel" @click=${() => this.handleDiscard()}>
                  Cancel
                </button>`
              : nothing
        }
      </div>
      ${generation.render({ loading: renderLoadProgress }) ?? nothing}
      ${
        generation.status !== GenerationStatus.IDLE
          ? renderGeneratedText(generation, this.attachStream, {
              onKeep: () => this.handleKeep(),
              onDiscard: () => this.handleDiscard(),
              onErrorAction: (action) => this.handleErrorAction(action),
            })
          : nothing
      }
    </div>`;
  }
}
