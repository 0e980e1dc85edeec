// AI Image's large view: a modal dialog with the image, its prompt, pixel size and model,
// Download and Close, the same for a candidate and for a kept image.
import { html, nothing, type TemplateResult } from 'lit';

/** An image opened large: what the dialog shows and the file it downloads as. */
export interface ViewedImage {
  /** Already checked with safeImageUrl. */
  url: string;
  prompt: string;
  /** The size asked for, e.g. '512x512' (shown until the image has loaded and been measured). */
  size?: string;
  /** The loaded image's own pixel size. */
  pixels?: { width: number; height: number };
  /** The model that made it, as stored (its label is looked up when it is shown). */
  modelId?: string;
  fileName: string;
}

/** What the dialog calls back. */
export interface ViewerActions {
  download: (url: string, fileName: string) => void;
  /** The image loaded: its own pixel size. */
  measured: (width: number, height: number) => void;
  closed: () => void;
}

/** "512 × 512": the loaded image's pixels, else the size asked for in that form (`auto` as it is). */
export function pixelSize(image: ViewedImage): string | undefined {
  if (image.pixels) return `${String(image.pixels.width)} × ${String(image.pixels.height)}`;
  return image.size?.replace(/^(\d+)x(\d+)$/, '$1 × $2');
}

/** The dialog (always in the document, so it can be shown modal); empty while nothing is open. */
export function renderViewer(
  image: ViewedImage | undefined,
  view: { modelLabel: string | undefined; notice: string | undefined },
  actions: ViewerActions,
): TemplateResult {
  const size = image && pixelSize(image);
  return html`<dialog
    class="viewer"
    aria-labelledby=${image ? 'viewer-prompt' : nothing}
    aria-label=${image ? nothing : 'Image'}
    @close=${actions.closed}
  >
    ${
      image
        ? html`<h2 id="viewer-prompt" class="viewer-prompt">${image.prompt || 'Untitled'}</h2>
            <img
              src=${image.url}
              alt=${image.prompt}
              @load=${(event: Event) => {
                const loaded = event.target as HTMLImageElement;
                actions.measured(loaded.naturalWidth, loaded.naturalHeight);
              }}
            />
            <dl class="viewer-details">
              ${
                size
                  ? html`<dt>Size</dt>
                      <dd data-detail="size">${size}</dd>`
                  : nothing
              }
              ${
                view.modelLabel
                  ? html`<dt>Model</dt>
                      <dd data-detail="model">${view.modelLabel}</dd>`
                  : nothing
              }
            </dl>
            ${view.notice ? html`<p class="status" role="status" data-notice="download">${view.notice}</p>` : nothing}
            <div class="row">
              <button
                type="button"
                part="button"
                data-action="download"
                @click=${() => {
                  actions.download(image.url, image.fileName);
                }}
              >
                Download
              </button>
              <form method="dialog"><button part="button" data-action="close">Close</button></form>
            </div>`
        : nothing
    }
  </dialog>`;
}
