import { createGraphClient, EmbedderWatch, guardUnload, keepImage, releaseUnload, readKeptImages, rootEntity, Saver, type ImageToKeep, type KeptImage, type SaveState } from '@ai-blocks/persistence';
import { generateImage, type GeneratedImage, type ImageEngine } from '@ai-blocks/runtime';
import { listenForHostService, renderErrorNotice, safeImageUrl, type ErrorAction } from '@ai-blocks/ui';
import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { css, html, nothing, type PropertyValues } from 'lit';
import { createImageEngine, IMAGE_ENGINE_LABELS, optionsForModel, type AiImageSettings, type ImageEngineId } from './image-models.js';

interface Candidate {
  id: string;
  image: GeneratedImage;
  url: string;
  selected: boolean;
}

interface Generation {
  prompt: string;
  engine: ImageEngine;
  size: string;
  quality?: string;
  startedAt: number;
  durationMs: number;
  candidates: Candidate[];
}

type Phase = 'idle' | 'generating' | 'error';

const PROMPT_KEY = 'https://blockprotocol.org/@ai-blocks/types/property-type/prompt/';

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
  static override styles = css`
    :host { display: block; font: var(--ai-block-font, 15px/1.5 system-ui, sans-serif); color: var(--ai-block-color, inherit); --_border: var(--ai-block-border-color, rgba(127, 127, 127, 0.35)); --_accent: var(--ai-block-accent, #4b3fd1); }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    label, .hint, .status { font-size: 0.85em; color: var(--ai-block-muted-color, #5f6170); }
    textarea, select { font: inherit; color: inherit; background: transparent; border: 1px solid var(--_border); border-radius: 6px; padding: 0.4rem 0.5rem; }
    textarea { width: 100%; box-sizing: border-box; min-height: 3.5em; }
    button { font: inherit; color: inherit; background: transparent; border: 1px solid var(--_border); border-radius: 6px; padding: 0.35rem 0.8rem; cursor: pointer; }
    button.primary { background: var(--_accent); border-color: var(--_accent); color: #fff; }
    button:disabled { opacity: 0.55; cursor: default; }
    :is(button, textarea, select, input):focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.6rem; margin: 0.6rem 0; }
    figure { margin: 0; border: 1px solid var(--_border); border-radius: 8px; padding: 0.4rem; }
    figure img { width: 100%; height: auto; display: block; border-radius: 4px; cursor: zoom-in; }
    figure.selected { outline: 3px solid var(--_accent); }
    figcaption { font-size: 0.8em; display: flex; justify-content: space-between; gap: 0.3rem; align-items: center; margin-top: 0.3rem; }
    dialog img { max-width: min(90vw, 1024px); max-height: 80vh; }
    .error-notice { border: 1px solid #c4362c; border-radius: 8px; padding: 0.5rem 0.75rem; margin-top: 0.6rem; }
    .refused-image { margin: 0; padding: 1.5rem 0.5rem; text-align: center; border: 1px dashed var(--_border); border-radius: 4px; font-size: 0.85em; }
    progress { width: 100%; }
  `;

  static override properties = {
    ...BlockElementBase.properties,
    settings: { attribute: false },
    prompt: { state: true },
    engineId: { state: true },
    count: { state: true },
    size: { state: true },
    quality: { state: true },
    phase: { state: true },
    current: { state: true },
    error: { state: true },
    elapsed: { state: true },
    saveState: { state: true },
    zoomed: { state: true },
    standalone: { state: true },
    downloadNotice: { state: true },
  };

  /** Engine settings from the host or the person (keys stay in memory, never in the graph). */
  settings: AiImageSettings = {};

  protected prompt = '';
  protected engineId: ImageEngineId = 'service-module';
  protected count = 4;
  protected size = '1024x1024';
  protected quality = '';
  protected phase: Phase = 'idle';
  protected current: Generation | undefined;
  protected error: { code: string; message: string } | undefined;
  protected elapsed = 0;
  protected saveState: SaveState = { status: 'idle', failures: 0 };
  protected zoomed: { url: string; alt: string } | undefined;
  protected standalone = false;
  /** Why the last download did not happen, if it did not. */
  protected downloadNotice: string | undefined;

  private abortController: AbortController | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private promptFromGraph = false;
  /** Images being kept, in order; only ones the person chose, so nothing is orphaned. */
  private keeping: ImageToKeep[] = [];

  private readonly embedderWatch = new EmbedderWatch(() => {
    this.standalone = true;
  });

  private readonly saver = new Saver<ImageToKeep[]>({
    write: async (images) => {
      if (!this.graphModule) throw Object.assign(new Error('No embedder'), { name: 'GraphError', code: 'NO_EMBEDDER' });
      const client = createGraphClient(this.graphModule, { isReadonly: () => this.isReadonly, timeoutMs: 30_000 });
      // keepImage finds what an earlier attempt wrote, so retrying the whole list is safe.
      for (const image of images) await keepImage(client, image);
      this.keeping = this.keeping.filter((image) => !images.includes(image));
    },
    onChange: (state) => {
      this.saveState = state;
    },
  });

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
    this.embedderWatch.start();
    // Attached again (moved, re-rendered): write what is still unsaved; ask before the page is left meanwhile.
    this.saver.resume();
    guardUnload(this.saver);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
    this.abortController?.abort();
    this.embedderWatch.stop();
    this.saver.dispose();
    releaseUnload(this.saver);
    clearInterval(this.timer);
    for (const candidate of this.current?.candidates ?? []) URL.revokeObjectURL(candidate.url);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('graph') && (this.graph as unknown)) {
      this.embedderWatch.markAnswered();
      this.standalone = false;
      const stored = rootEntity(this.graph.blockEntitySubgraph)?.properties[PROMPT_KEY];
      if (!this.prompt && typeof stored === 'string') {
        this.prompt = stored;
        this.promptFromGraph = true;
      }
    }
    if (changed.has('settings') && this.settings.openaiCompatible && !this.settings.serviceModel) this.engineId = 'openai-compatible';
    const options = optionsForModel(this.modelName());
    if (!options.counts.includes(this.count)) this.count = options.counts.at(-1) ?? 1;
    if (!options.sizes.includes(this.size)) this.size = options.sizes[0] ?? '1024x1024';
    if (this.quality && !options.qualities?.includes(this.quality)) this.quality = '';
  }

  private get isReadonly(): boolean {
    return (this.graph as typeof this.graph | undefined)?.readonly === true;
  }

  private keptImages(): KeptImage[] {
    const graph = this.graph as typeof this.graph | undefined;
    if (!graph) return [];
    return readKeptImages(graph.blockEntitySubgraph, rootEntity(graph.blockEntitySubgraph)).images;
  }

  private modelName(): string {
    return this.engineId === 'openai-compatible' ? (this.settings.openaiCompatible?.model ?? '') : (this.settings.serviceModel ?? 'dall-e-3');
  }

  private async generate(): Promise<void> {
    const prompt = this.prompt.trim();
    if (!prompt || this.phase === 'generating' || this.isReadonly) return;
    this.abortController?.abort();
    const controller = new AbortController();
    this.abortController = controller;
    this.error = undefined;
    this.phase = 'generating';
    const startedAt = Date.now();
    this.elapsed = 0;
    this.timer = setInterval(() => {
      this.elapsed = Math.round((Date.now() - startedAt) / 1000);
    }, 1000);
    let engine: ImageEngine;
    try {
      engine = createImageEngine(this.engineId, this, this.settings, this.hostOffersService);
    } catch (error) {
      clearInterval(this.timer);
      this.phase = 'error';
      this.error = { code: 'ENGINE_UNAVAILABLE', message: error instanceof Error ? error.message : String(error) };
      return;
    }
    const outcome = await generateImage({
      engine,
      prompt,
      n: this.count,
      size: this.size,
      ...(this.quality ? { quality: this.quality } : {}),
      abortSignal: controller.signal,
    });
    clearInterval(this.timer);
    if (controller !== this.abortController) return;
    if (outcome.status === 'aborted') {
      this.phase = 'idle';
      return;
    }
    if (outcome.status === 'error') {
      this.phase = 'error';
      this.error = outcome.error;
      return;
    }
    for (const candidate of this.current?.candidates ?? []) URL.revokeObjectURL(candidate.url);
    this.current = {
      prompt,
      engine,
      size: this.size,
      ...(this.quality ? { quality: this.quality } : {}),
      startedAt,
      durationMs: Date.now() - startedAt,
      candidates: outcome.images.map((image) => ({
        id: crypto.randomUUID(),
        image,
        url: URL.createObjectURL(new Blob([image.bytes.slice().buffer], { type: image.mediaType })),
        selected: false,
      })),
    };
    this.phase = 'idle';
  }

  private cancel(): void {
    this.abortController?.abort();
  }

  private toggle(candidate: Candidate): void {
    candidate.selected = !candidate.selected;
    this.requestUpdate();
  }

  private keepSelected(): void {
    const generation = this.current;
    if (!generation || this.isReadonly) return;
    const entity = rootEntity(this.graph.blockEntitySubgraph);
    if (!entity) return;
    const chosen = generation.candidates.filter((candidate) => candidate.selected);
    for (const candidate of chosen) {
      const image: ImageToKeep = {
        blockEntity: entity,
        clientId: candidate.id,
        bytes: candidate.image.bytes,
        mediaType: candidate.image.mediaType,
        prompt: generation.prompt,
        size: generation.size,
        provenance: { engineId: generation.engine.engineId, modelId: generation.engine.modelId, startedAt: new Date(generation.startedAt).toISOString(), durationMs: generation.durationMs, completionStatus: 'complete' },
      };
      if (generation.quality) image.quality = generation.quality;
      if (candidate.image.revisedPrompt) image.revisedPrompt = candidate.image.revisedPrompt;
      this.keeping.push(image);
    }
    // The rest are discarded: they were never uploaded.
    for (const candidate of generation.candidates) URL.revokeObjectURL(candidate.url);
    this.current = undefined;
    void this.saver.save([...this.keeping]);
  }

  private discardAll(): void {
    for (const candidate of this.current?.candidates ?? []) URL.revokeObjectURL(candidate.url);
    this.current = undefined;
  }

  private handleErrorAction(action: ErrorAction): void {
    if (action === 'retry') void this.generate();
    else if (action === 'switch-engine') this.renderRoot.querySelector<HTMLSelectElement>('#engine')?.focus();
    else this.renderRoot.querySelector<HTMLTextAreaElement>('#prompt')?.focus();
  }

  /**
   * Saves a kept image as a file. The stored URL is never bound to a link (a `javascript:` URL
   * would run on the click): it is checked, fetched, and offered as a blob of image bytes.
   */
  private async download(url: string, fileName: string): Promise<void> {
    this.downloadNotice = undefined;
    const safe = safeImageUrl(url);
    if (!safe) {
      this.downloadNotice = 'This image’s address is not allowed, so it cannot be downloaded.';
      return;
    }
    try {
      const response = await fetch(safe, { credentials: 'omit', referrerPolicy: 'no-referrer' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const fetched = await response.blob();
      // Whatever came back is saved as bytes (a same-origin blob with `download` never opens as a page).
      const blob = fetched.type.startsWith('image/') ? fetched : new Blob([fetched], { type: 'application/octet-stream' });
      const objectUrl = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = objectUrl;
      link.download = fileName.replace(/[^\w.-]+/g, '_') || 'image.png';
      link.click();
      // The download has started by now; the URL is only needed for that.
      setTimeout(() => {
        URL.revokeObjectURL(objectUrl);
      }, 10_000);
    } catch {
      this.downloadNotice = 'The image could not be downloaded: open it and save it from there.';
    }
  }

  private openLarge(url: string, alt: string): void {
    const safe = safeImageUrl(url);
    if (!safe) return;
    this.zoomed = { url: safe, alt };
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  override render() {
    const kept = this.keptImages();
    const pendingKeep = this.keeping.length;
    return html`
      ${this.standalone ? html`<p class="status" role="status">This block is not connected to a page that saves it: kept images cannot be stored.</p>` : nothing}
      ${this.isReadonly ? nothing : this.renderComposer()}
      ${this.current ? this.renderCandidates(this.current) : nothing}
      ${this.renderKept(kept)}
      ${this.saveState.status !== 'idle'
        ? html`<p class="status" role="status" data-save=${this.saveState.status}>
            ${this.saveState.status === 'saved' ? 'Kept images saved.' : this.saveState.status === 'saving' ? `Saving ${pendingKeep} image${pendingKeep === 1 ? '' : 's'}…` : this.saveState.status === 'unsaved' ? `Not saved yet${this.saveState.nextRetryAt ? ' — retrying' : ''}: ${this.saveState.lastError?.message ?? ''}` : this.saveState.status === 'readonly' ? 'Not saved: this page is read-only.' : 'Not saved: no page to save to.'}
            ${this.saveState.status === 'unsaved' && !this.saveState.nextRetryAt ? html`<button type="button" part="button" @click=${() => { this.saver.retryNow(); }}>Retry now</button>` : nothing}
          </p>`
        : nothing}
      <dialog aria-label="Image" @close=${() => { this.zoomed = undefined; }}>
        ${this.zoomed ? html`<img src=${this.zoomed.url} alt=${this.zoomed.alt} /><form method="dialog"><button part="button">Close</button></form>` : nothing}
      </dialog>
    `;
  }

  private renderComposer() {
    const busy = this.phase === 'generating';
    const options = optionsForModel(this.modelName());
    return html`<div>
      <label for="prompt">Describe the picture</label>
      <textarea id="prompt" part="prompt" .value=${this.prompt} ?disabled=${busy}
        @input=${(event: Event) => { this.prompt = (event.target as HTMLTextAreaElement).value; this.promptFromGraph = false; }}
        @keydown=${(event: KeyboardEvent) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); void this.generate(); } }}></textarea>
      ${this.promptFromGraph ? html`<p class="hint prompt-line">Last prompt: ${this.prompt}</p>` : nothing}
      <div class="row">
        <label for="engine">Engine</label>
        <select id="engine" .value=${this.engineId} ?disabled=${busy} @change=${(event: Event) => { this.engineId = (event.target as HTMLSelectElement).value as ImageEngineId; }}>
          ${(Object.keys(IMAGE_ENGINE_LABELS) as ImageEngineId[]).map((id) => html`<option value=${id} ?selected=${id === this.engineId}>${IMAGE_ENGINE_LABELS[id]}</option>`)}
        </select>
        <label for="count">Images</label>
        <select id="count" .value=${String(this.count)} ?disabled=${busy || options.counts.length === 1} @change=${(event: Event) => { this.count = Number((event.target as HTMLSelectElement).value); }}>
          ${options.counts.map((count) => html`<option value=${String(count)} ?selected=${count === this.count}>${count}</option>`)}
        </select>
        <label for="size">Size</label>
        <select id="size" .value=${this.size} ?disabled=${busy} @change=${(event: Event) => { this.size = (event.target as HTMLSelectElement).value; }}>
          ${options.sizes.map((size) => html`<option value=${size} ?selected=${size === this.size}>${size}</option>`)}
        </select>
        ${options.qualities
          ? html`<label for="quality">Quality</label>
              <select id="quality" .value=${this.quality} ?disabled=${busy} @change=${(event: Event) => { this.quality = (event.target as HTMLSelectElement).value; }}>
                <option value="" ?selected=${this.quality === ''}>Default</option>
                ${options.qualities.map((quality) => html`<option value=${quality} ?selected=${quality === this.quality}>${quality}</option>`)}
              </select>`
          : nothing}
      </div>
      ${options.counts.length === 1 ? html`<p class="hint">This model makes one image at a time.</p>` : nothing}
      <div class="row">
        <button type="button" class="primary" part="button" data-action="generate" ?disabled=${busy || !this.prompt.trim()} @click=${() => void this.generate()}>Generate</button>
        ${busy ? html`<button type="button" part="button" data-action="cancel" @click=${() => { this.cancel(); }}>Cancel</button>` : nothing}
      </div>
      ${busy ? html`<div role="status"><progress aria-label="Generating images"></progress><span class="hint">Generating… ${this.elapsed} s</span></div>` : nothing}
      ${this.phase === 'error' && this.error ? renderErrorNotice(this.error, (action) => { this.handleErrorAction(action); }) : nothing}
    </div>`;
  }

  private renderCandidates(generation: Generation) {
    const selected = generation.candidates.filter((candidate) => candidate.selected).length;
    return html`<section aria-label="Candidates">
      <div class="grid" part="candidates">
        ${generation.candidates.map(
          (candidate, index) => html`<figure class=${candidate.selected ? 'selected' : ''} data-candidate=${String(index)}>
            <img src=${candidate.url} alt=${generation.prompt} @click=${() => { this.openLarge(candidate.url, generation.prompt); }} />
            <figcaption>
              <label><input type="checkbox" .checked=${candidate.selected} @change=${() => { this.toggle(candidate); }} /> Keep</label>
              <button type="button" part="button" @click=${() => { this.openLarge(candidate.url, generation.prompt); }}>Open</button>
            </figcaption>
          </figure>`,
        )}
      </div>
      <div class="row">
        <button type="button" class="primary" part="button" data-action="keep" ?disabled=${selected === 0} @click=${() => { this.keepSelected(); }}>Keep ${selected || ''} selected</button>
        <button type="button" part="button" data-action="discard" @click=${() => { this.discardAll(); }}>Discard all</button>
      </div>
    </section>`;
  }

  private renderKept(kept: KeptImage[]) {
    if (kept.length === 0) return this.isReadonly ? html`<p class="status">No images have been kept yet.</p>` : nothing;
    const byPrompt = new Map<string, KeptImage[]>();
    for (const image of kept) byPrompt.set(image.prompt, [...(byPrompt.get(image.prompt) ?? []), image]);
    return html`<section aria-label="Kept images" part="kept">
      ${[...byPrompt.entries()].map(
        ([prompt, images]) => html`<h3 class="hint">${prompt || 'Untitled'}</h3>
          <div class="grid">
            ${images.map((image) => this.renderKeptImage(image))}
          </div>`,
      )}
      ${this.downloadNotice ? html`<p class="status" role="status" data-notice="download">${this.downloadNotice}</p>` : nothing}
    </section>`;
  }

  /** A kept image, or a placeholder when its stored address is not one an image may load from. */
  private renderKeptImage(image: KeptImage) {
    const src = safeImageUrl(image.url);
    return html`<figure data-kept=${image.fileEntityId} ?data-refused=${!src}>
      ${src
        ? html`<img src=${src} alt=${image.prompt} @click=${() => { this.openLarge(src, image.prompt); }} />`
        : html`<p class="refused-image" role="img" aria-label=${`${image.prompt || 'Image'}: not shown`}>This image’s address is not allowed.</p>`}
      <figcaption>
        <span class="hint">${[image.size, image.provenance.modelId].filter(Boolean).join(' · ')}</span>
        ${src ? html`<button type="button" part="button" data-action="download" @click=${() => void this.download(src, image.fileName ?? 'image.png')}>Download</button>` : nothing}
      </figcaption>
    </figure>`;
  }
}
