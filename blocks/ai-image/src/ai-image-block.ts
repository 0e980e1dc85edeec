import { AiError, AiErrorCode, generateImage, type GeneratedImage } from '@ai-blocks/runtime';
import {
  focusForErrorAction,
  ImageEngineChoiceController,
  ImageRunController,
  renderEnginePicker,
  renderHubPreview,
  renderSaveStatus,
  safeImageUrl,
  type ErrorAction,
} from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { aiImageBlockStyles } from './ai-image-block.styles.js';
import { downloadImage } from './download-image.js';
import { ImageCandidatesController } from './image-candidates.js';
import { renderComposer, renderRunStatus, type ImageOption } from './image-composer.js';
import { renderCandidates, renderKept, type OpenLarge } from './image-gallery.js';
import { isLocal, modelLabel, optionsForEngine, type AiImageSettings, type ImageModelOptions } from './image-models.js';
import { renderViewer, type ViewedImage } from './image-viewer.js';

/** What a run was started with: kept with each image of it. */
interface RunMeta {
  prompt: string;
  size: string;
  quality?: string;
  steps?: number;
}

const STANDALONE = 'This block is not connected to a page that saves it: kept images cannot be stored.';

/**
 * AI Image: describe a picture, get a few candidates, and keep the ones you want as files in
 * the page's graph, linked to the block. Discarded candidates are never uploaded. Runs on the
 * page's AI service, in the browser (GPU or CPU) or on an OpenAI-compatible API.
 *
 * @summary Generates images with an AI model and keeps the chosen ones as files.
 * @csspart prompt - The prompt field.
 * @csspart candidates - The grid of generated candidates.
 * @csspart kept - The kept images.
 * @csspart model-picker - The in-browser models.
 * @csspart button - Every button.
 * @csspart error - An error notice.
 */
export class AiImageBlock extends BlockElementBase {
  static override styles = aiImageBlockStyles;

  static override properties = {
    ...BlockElementBase.properties,
    settings: { attribute: false },
    count: { state: true },
    size: { state: true },
    quality: { state: true },
    steps: { state: true },
    zoomed: { state: true },
    downloadNotice: { state: true },
  };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: AiImageSettings = {};

  protected count = 4;
  protected size = '1024x1024';
  protected quality = '';
  protected steps = 1;
  /** The image open large, if one is. */
  protected zoomed: ViewedImage | undefined;
  /** Why the last download did not happen, if it did not. */
  protected downloadNotice: string | undefined;
  /** What opened the large view: it gets the focus back when the view closes. */
  private opener: HTMLElement | undefined;

  /** The candidates, the prompt, the kept images and how they are saved. */
  private readonly images = new ImageCandidatesController(this, {
    graph: () => this.graph,
    graphModule: () => this.graphModule,
  });
  /** The engine and model choice, with its reasons and the model manager. */
  private readonly picker = new ImageEngineChoiceController(this, () => this.settings);
  private readonly imageRun = new ImageRunController<GeneratedImage, RunMeta>(this);

  /** The options the chosen engine takes. */
  private get options(): ImageModelOptions {
    return optionsForEngine(this.picker.choice, this.picker.effectiveSettings(), this.picker.model);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('settings')) {
      // A host that hands over an image API means it to be used (as before the shared picker).
      if (this.settings.openaiCompatible && !this.settings.serviceModel) this.picker.setEngine('openai-compatible');
      void this.picker.refresh();
    }
    const options = this.options;
    if (!options.counts.includes(this.count)) this.count = options.counts.at(-1) ?? 1;
    if (!options.sizes.includes(this.size)) this.size = options.sizes[0] ?? '1024x1024';
    if (this.quality && !options.qualities?.includes(this.quality)) this.quality = '';
    if (options.steps && !options.steps.includes(this.steps)) this.steps = this.picker.model?.defaultSteps ?? 1;
  }

  private async handleGenerate(): Promise<void> {
    const prompt = this.images.prompt.trim();
    if (!prompt || this.imageRun.busy || this.images.entities.readonly) return;
    // Generate right after the block appeared: choose from what is known before running.
    if (!this.picker.selection) await this.picker.refresh();
    const engineId = this.picker.choice;
    const local = isLocal(engineId);
    const { count, size, steps } = this;
    const quality = local ? '' : this.quality;
    const meta: RunMeta = { prompt, size, ...(quality ? { quality } : {}), ...(local ? { steps } : {}) };
    const run = await this.imageRun.run(
      () => {
        if (!engineId)
          throw new AiError(
            AiErrorCode.ENGINE_UNAVAILABLE,
            this.picker.selection?.summary ?? 'No engine can run here.',
          );
        return this.picker.engine(engineId);
      },
      (engine, abortSignal, onStep) =>
        generateImage({
          engine,
          prompt,
          n: count,
          size,
          abortSignal,
          ...(quality ? { quality } : {}),
          ...(local ? { steps, onProgress: onStep } : {}),
        }),
      {
        meta,
        onLoaded: () => {
          this.picker.announceModelsChanged();
        },
      },
    );
    if (run?.outcome.status === 'complete')
      this.images.offer(run.outcome.images, { ...run.meta, provenance: run.provenance });
  }

  private handleOption(option: ImageOption, value: string): void {
    if (option === 'count') this.count = Number(value);
    else if (option === 'steps') this.steps = Number(value);
    else if (option === 'size') this.size = value;
    else this.quality = value;
  }

  private handleErrorAction(action: ErrorAction): void {
    if (action === 'retry') void this.handleGenerate();
    else focusForErrorAction(this.renderRoot, action, '#prompt');
  }

  private async handleDownload(url: string, fileName: string): Promise<void> {
    this.downloadNotice = undefined;
    this.downloadNotice = await downloadImage(url, fileName);
  }

  private readonly handleOpenLarge: OpenLarge = (image, opener) => {
    const url = safeImageUrl(image.url);
    if (!url) return;
    this.opener = opener;
    this.downloadNotice = undefined;
    this.zoomed = { ...image, url };
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  };

  private readonly handleCloseLarge = (): void => {
    this.zoomed = undefined;
    // Back to the thumbnail or button that opened it (Close, Escape, or a form submit).
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = undefined;
  };

  override render() {
    const { images } = this;
    const pending = images.pending;
    const open = this.handleOpenLarge;
    return renderHubPreview(
      images.entities.hubPreview,
      html`
        ${images.entities.standalone ? html`<p class="status" role="status">${STANDALONE}</p>` : nothing}
        ${images.entities.readonly ? nothing : this.renderComposer()}
        ${
          images.candidates.length > 0 && images.run
            ? renderCandidates(images.candidates, images.run, {
                toggle: (candidate) => images.toggle(candidate),
                open,
                keep: () => images.keepSelected(),
                discard: () => images.discardAll(),
              })
            : nothing
        }
        ${renderKept(
          images.kept,
          { readonly: images.entities.readonly, downloadNotice: this.downloadNotice },
          { open, download: (url, fileName) => void this.handleDownload(url, fileName) },
        )}
        ${renderSaveStatus(
          images.saveState,
          () => {
            images.retrySave();
          },
          { saved: 'Kept images saved.', saving: `Saving ${pending} image${pending === 1 ? '' : 's'}…` },
        )}
        ${this.renderZoomed()}
      `,
    );
  }

  private renderComposer() {
    const { images, imageRun } = this;
    const busy = imageRun.busy;
    return renderComposer({
      prompt: images.prompt,
      promptFromGraph: images.promptFromGraph,
      busy,
      options: this.options,
      values: { count: String(this.count), size: this.size, quality: this.quality, steps: String(this.steps) },
      picker: renderEnginePicker(this.picker, { busy }),
      status: renderRunStatus(imageRun, (action) => {
        this.handleErrorAction(action);
      }),
      onPrompt: (prompt) => {
        images.setPrompt(prompt);
      },
      onOption: (option, value) => {
        this.handleOption(option, value);
      },
      onGenerate: () => void this.handleGenerate(),
      onStop: () => {
        imageRun.stop();
      },
    });
  }

  private renderZoomed() {
    return renderViewer(
      this.zoomed,
      { modelLabel: modelLabel(this.zoomed?.modelId, this.picker.models), notice: this.downloadNotice },
      {
        download: (url, fileName) => void this.handleDownload(url, fileName),
        measured: (width, height) => {
          if (this.zoomed) this.zoomed = { ...this.zoomed, pixels: { width, height } };
        },
        closed: this.handleCloseLarge,
      },
    );
  }
}
