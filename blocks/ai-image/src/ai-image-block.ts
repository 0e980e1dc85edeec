import type { KeptImage } from '@ai-blocks/persistence';
import { ENGINE_LABELS, generateImage, type GeneratedImage } from '@ai-blocks/runtime';
import {
  ImageRunController,
  listenForHostService,
  onCtrlEnter,
  renderErrorNotice,
  renderLoadProgress,
  renderSaveStatus,
  safeImageUrl,
  type ErrorAction,
} from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { html, nothing, type PropertyValues } from 'lit';
import { aiImageBlockStyles } from './ai-image-block.styles.js';
import { downloadImage } from './download-image.js';
import { ImageCandidatesController, type Candidate } from './image-candidates.js';
import {
  createImageEngine,
  IMAGE_ENGINE_IDS,
  imageModelName,
  optionsForModel,
  type AiImageSettings,
  type ImageEngineId,
} from './image-models.js';

const valueOf = (event: Event) => (event.target as HTMLSelectElement | HTMLTextAreaElement).value;

/**
 * AI Image: describe a picture, get a few candidates, and keep the ones you want as files in
 * the page's graph, linked to the block. Discarded candidates are never uploaded.
 *
 * @summary Generates images with an AI model and keeps the chosen ones as files.
 * @csspart prompt - The prompt field.
 * @csspart candidates - The grid of generated candidates.
 * @csspart kept - The kept images.
 * @csspart button - Every button.
 * @csspart error - An error notice.
 */
export class AiImageBlock extends BlockElementBase {
  static override styles = aiImageBlockStyles;

  static override properties = {
    ...BlockElementBase.properties,
    settings: { attribute: false },
    engineId: { state: true },
    count: { state: true },
    size: { state: true },
    quality: { state: true },
    zoomed: { state: true },
    downloadNotice: { state: true },
  };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: AiImageSettings = {};

  protected engineId: ImageEngineId = 'service-module';
  protected count = 4;
  protected size = '1024x1024';
  protected quality = '';
  protected zoomed: { url: string; alt: string } | undefined;
  /** Why the last download did not happen, if it did not. */
  protected downloadNotice: string | undefined;

  /** The candidates, the prompt, the kept images and how they are saved. */
  private readonly images = new ImageCandidatesController(this, {
    graph: () => this.graph,
    graphModule: () => this.graphModule,
  });
  private readonly imageRun = new ImageRunController<
    GeneratedImage,
    { prompt: string; size: string; quality?: string }
  >(this);
  /** Whether the host offers the service module (its initResponse says); 'unknown' until then. */
  private hostOffersService: 'yes' | 'no' | 'unknown' = 'unknown';
  private stopListening: (() => void) | undefined;

  override connectedCallback(): void {
    // Listen before the handshake, which can complete inside super.connectedCallback().
    this.stopListening = listenForHostService(this, (offered) => {
      this.hostOffersService = offered ? 'yes' : 'no';
      this.requestUpdate();
    });
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('settings') && this.settings.openaiCompatible && !this.settings.serviceModel)
      this.engineId = 'openai-compatible';
    const options = optionsForModel(imageModelName(this.engineId, this.settings));
    if (!options.counts.includes(this.count)) this.count = options.counts.at(-1) ?? 1;
    if (!options.sizes.includes(this.size)) this.size = options.sizes[0] ?? '1024x1024';
    if (this.quality && !options.qualities?.includes(this.quality)) this.quality = '';
  }

  private async handleGenerate(): Promise<void> {
    const prompt = this.images.prompt.trim();
    if (!prompt || this.imageRun.busy || this.images.entities.readonly) return;
    const { engineId, count, size, quality } = this;
    const run = await this.imageRun.run(
      () => createImageEngine(engineId, this, this.settings, this.hostOffersService),
      (engine, abortSignal) =>
        generateImage({ engine, prompt, n: count, size, ...(quality ? { quality } : {}), abortSignal }),
      { meta: { prompt, size, ...(quality ? { quality } : {}) } },
    );
    if (run?.outcome.status === 'complete')
      this.images.offer(run.outcome.images, { ...run.meta, provenance: run.provenance });
  }

  private handleErrorAction(action: ErrorAction): void {
    if (action === 'retry') void this.handleGenerate();
    else if (action === 'switch-engine') this.renderRoot.querySelector<HTMLSelectElement>('#engine')?.focus();
    else this.renderRoot.querySelector<HTMLTextAreaElement>('#prompt')?.focus();
  }

  private async handleDownload(url: string, fileName: string): Promise<void> {
    this.downloadNotice = undefined;
    this.downloadNotice = await downloadImage(url, fileName);
  }

  private handleOpenLarge(url: string, alt: string): void {
    const safe = safeImageUrl(url);
    if (!safe) return;
    this.zoomed = { url: safe, alt };
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  override render() {
    const { images } = this;
    const pending = images.pending;
    return html`
      ${images.entities.standalone ? html`<p class="status" role="status">This block is not connected to a page that saves it: kept images cannot be stored.</p>` : nothing}
      ${images.entities.readonly ? nothing : this.renderComposer()}
      ${images.candidates.length > 0 ? this.renderCandidates(images.candidates) : nothing}
      ${this.renderKept(images.kept)}
      ${renderSaveStatus(
        images.saveState,
        () => {
          images.retrySave();
        },
        { saved: 'Kept images saved.', saving: `Saving ${pending} image${pending === 1 ? '' : 's'}…` },
      )}
      <dialog
        aria-label="Image"
        @close=${() => {
          this.zoomed = undefined;
        }}
      >
        ${
          this.zoomed
            ? html`<img src=${this.zoomed.url} alt=${this.zoomed.alt} />
                <form method="dialog"><button part="button">Close</button></form>`
            : nothing
        }
      </dialog>
    `;
  }

  private renderComposer() {
    const { images, imageRun } = this;
    const busy = imageRun.busy;
    const options = optionsForModel(imageModelName(this.engineId, this.settings));
    return html`<div>
      <label for="prompt">Describe the picture</label>
      <textarea
        id="prompt"
        part="prompt"
        .value=${images.prompt}
        ?disabled=${busy}
        @input=${(event: Event) => {
          images.setPrompt(valueOf(event));
        }}
        @keydown=${onCtrlEnter(() => void this.handleGenerate())}
      ></textarea>
      ${images.promptFromGraph ? html`<p class="hint prompt-line">Last prompt: ${images.prompt}</p>` : nothing}
      <div class="row">
        <label for="engine">Engine</label>
        <select
          id="engine"
          .value=${this.engineId}
          ?disabled=${busy}
          @change=${(event: Event) => {
            this.engineId = valueOf(event) as ImageEngineId;
          }}
        >
          ${IMAGE_ENGINE_IDS.map((id) => html`<option value=${id} ?selected=${id === this.engineId}>${ENGINE_LABELS[id]}</option>`)}
        </select>
        <label for="count">Images</label>
        <select
          id="count"
          .value=${String(this.count)}
          ?disabled=${busy || options.counts.length === 1}
          @change=${(event: Event) => {
            this.count = Number(valueOf(event));
          }}
        >
          ${options.counts.map((count) => html`<option value=${String(count)} ?selected=${count === this.count}>${count}</option>`)}
        </select>
        <label for="size">Size</label>
        <select
          id="size"
          .value=${this.size}
          ?disabled=${busy}
          @change=${(event: Event) => {
            this.size = valueOf(event);
          }}
        >
          ${options.sizes.map((size) => html`<option value=${size} ?selected=${size === this.size}>${size}</option>`)}
        </select>
        ${
          options.qualities
            ? html`<label for="quality">Quality</label>
                <select
                  id="quality"
                  .value=${this.quality}
                  ?disabled=${busy}
                  @change=${(event: Event) => {
                    this.quality = valueOf(event);
                  }}
                >
                  <option value="" ?selected=${this.quality === ''}>Default</option>
                  ${options.qualities.map((quality) => html`<option value=${quality} ?selected=${quality === this.quality}>${quality}</option>`)}
                </select>`
            : nothing
        }
      </div>
      ${options.counts.length === 1 ? html`<p class="hint">This model makes one image at a time.</p>` : nothing}
      <div class="row">
        <button
          type="button"
          class="primary"
          part="button"
          data-action="generate"
          ?disabled=${busy || !images.prompt.trim()}
          @click=${() => void this.handleGenerate()}
        >
          Generate
        </button>
        ${
          busy
            ? html`<button
                type="button"
                part="button"
                data-action="cancel"
                @click=${() => {
                  imageRun.stop();
                }}
              >
                Cancel
              </button>`
            : nothing
        }
      </div>
      ${
        imageRun.render({
          loading: renderLoadProgress,
          running: (seconds) =>
            html`<div role="status">
              <progress aria-label="Generating images"></progress><span class="hint">Generating… ${seconds} s</span>
            </div>`,
          error: (_run, outcome) =>
            outcome.error
              ? renderErrorNotice(outcome.error, (action) => {
                  this.handleErrorAction(action);
                })
              : nothing,
        }) ?? nothing
      }
    </div>`;
  }

  private renderCandidates(candidates: Candidate[]) {
    const { images } = this;
    const prompt = images.run?.prompt ?? '';
    const selected = candidates.filter((candidate) => candidate.selected).length;
    return html`<section aria-label="Candidates">
      <div class="grid" part="candidates">
        ${candidates.map(
          (candidate, index) =>
            html`<figure class=${candidate.selected ? 'selected' : ''} data-candidate=${String(index)}>
              <img
                src=${candidate.url}
                alt=${prompt}
                @click=${() => {
                  this.handleOpenLarge(candidate.url, prompt);
                }}
              />
              <figcaption>
                <label
                  ><input
                    type="checkbox"
                    .checked=${candidate.selected}
                    @change=${() => {
                      images.toggle(candidate);
                    }}
                  />
                  Keep</label
                >
                <button
                  type="button"
                  part="button"
                  @click=${() => {
                    this.handleOpenLarge(candidate.url, prompt);
                  }}
                >
                  Open
                </button>
              </figcaption>
            </figure>`,
        )}
      </div>
      <div class="row">
        <button
          type="button"
          class="primary"
          part="button"
          data-action="keep"
          ?disabled=${selected === 0}
          @click=${() => {
            images.keepSelected();
          }}
        >
          Keep ${selected || ''} selected
        </button>
        <button
          type="button"
          part="button"
          data-action="discard"
          @click=${() => {
            images.discardAll();
          }}
        >
          Discard all
        </button>
      </div>
    </section>`;
  }

  private renderKept(kept: KeptImage[]) {
    if (kept.length === 0)
      return this.images.entities.readonly ? html`<p class="status">No images have been kept yet.</p>` : nothing;
    const byPrompt = new Map<string, KeptImage[]>();
    for (const image of kept) byPrompt.set(image.prompt, [...(byPrompt.get(image.prompt) ?? []), image]);
    return html`<section aria-label="Kept images" part="kept">
      ${[...byPrompt.entries()].map(
        ([prompt, images]) =>
          html`<h3 class="hint">${prompt || 'Untitled'}</h3>
            <div class="grid">${images.map((image) => this.renderKeptImage(image))}</div>`,
      )}
      ${this.downloadNotice ? html`<p class="status" role="status" data-notice="download">${this.downloadNotice}</p>` : nothing}
    </section>`;
  }

  /** A kept image, or a placeholder when its stored address is not one an image may load from. */
  private renderKeptImage(image: KeptImage) {
    const src = safeImageUrl(image.url);
    return html`<figure data-kept=${image.fileEntityId} ?data-refused=${!src}>
      ${
        src
          ? html`<img
              src=${src}
              alt=${image.prompt}
              @click=${() => {
                this.handleOpenLarge(src, image.prompt);
              }}
            />`
          : html`<p class="refused-image" role="img" aria-label=${`${image.prompt || 'Image'}: not shown`}>
              This image’s address is not allowed.
            </p>`
      }
      <figcaption>
        <span class="hint">${[image.size, image.provenance.modelId].filter(Boolean).join(' · ')}</span>
        ${src ? html`<button type="button" part="button" data-action="download" @click=${() => void this.handleDownload(src, image.fileName ?? 'image.png')}>Download</button>` : nothing}
      </figcaption>
    </figure>`;
  }
}
