// AI Image's pictures: the last run's candidates (tick to keep, open large) and the kept images
// grouped by prompt, each with what made it (engine, model, seed, steps, size, duration).
import { keptImageFileName, type KeptImage } from '@ai-blocks/persistence';
import { ENGINE_LABELS, isEngineId } from '@ai-blocks/runtime';
import { safeImageUrl } from '@ai-blocks/ui';
import { html, nothing, type TemplateResult } from 'lit';
import type { Candidate, CandidateRun } from './image-candidates.js';
import type { ViewedImage } from './image-viewer.js';

/** Opens an image large; `opener` gets the focus back when it closes. */
export type OpenLarge = (image: ViewedImage, opener: HTMLElement) => void;

/** What the candidates' buttons call. */
export interface CandidateActions {
  toggle: (candidate: Candidate) => void;
  open: OpenLarge;
  keep: () => void;
  discard: () => void;
}

/** The image as a button that opens it large (named by its alt text, the prompt). */
function thumbnail(src: string, image: ViewedImage, open: OpenLarge): TemplateResult {
  return html`<button
    type="button"
    class="thumb"
    data-action="open"
    @click=${(event: Event) => {
      open(image, event.currentTarget as HTMLElement);
    }}
  >
    <img src=${src} alt=${image.prompt} />
  </button>`;
}

/** The candidates, each with Keep and Open, and Keep selected / Discard all. */
export function renderCandidates(
  candidates: Candidate[],
  run: Pick<CandidateRun, 'prompt' | 'size'>,
  actions: CandidateActions,
): TemplateResult {
  const selected = candidates.filter((candidate) => candidate.selected).length;
  const { prompt } = run;
  const viewed = (candidate: Candidate): ViewedImage => ({
    url: candidate.url,
    prompt,
    size: run.size,
    fileName: keptImageFileName(candidate.id, candidate.image.mediaType),
    ...(candidate.provenance.modelId ? { modelId: candidate.provenance.modelId } : {}),
  });
  return html`<section aria-label="Candidates">
    <div class="grid" part="candidates">
      ${candidates.map(
        (candidate, index) =>
          html`<figure class=${candidate.selected ? 'selected' : ''} data-candidate=${String(index)}>
            ${thumbnail(candidate.url, viewed(candidate), actions.open)}
            <figcaption>
              <label
                ><input
                  type="checkbox"
                  .checked=${candidate.selected}
                  @change=${() => {
                    actions.toggle(candidate);
                  }}
                />
                Keep</label
              >
              <button
                type="button"
                part="button"
                @click=${(event: Event) => {
                  actions.open(viewed(candidate), event.currentTarget as HTMLElement);
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
        @click=${actions.keep}
      >
        Keep ${selected || ''} selected
      </button>
      <button type="button" part="button" data-action="discard" @click=${actions.discard}>Discard all</button>
    </div>
  </section>`;
}

/** What made a kept image, in a line: size, engine, model, seed, steps, duration. */
export function keptImageProvenance(image: KeptImage): string {
  const { engineId, modelId, durationMs } = image.provenance;
  // Stored strings may be anything: only the table's own engine ids get its label.
  const engine = isEngineId(engineId) ? ENGINE_LABELS[engineId] : undefined;
  return [
    image.size,
    engine,
    modelId,
    image.seed !== undefined ? `seed ${String(image.seed)}` : undefined,
    image.steps !== undefined ? `${String(image.steps)} step${image.steps === 1 ? '' : 's'}` : undefined,
    durationMs !== undefined ? `${(durationMs / 1000).toFixed(1)} s` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What the kept images' buttons call. */
export interface KeptActions {
  open: OpenLarge;
  download: (url: string, fileName: string) => void;
}

/** A kept image, or a placeholder when its stored address is not one an image may load from. */
function renderKeptImage(image: KeptImage, actions: KeptActions): TemplateResult {
  const src = safeImageUrl(image.url);
  return html`<figure data-kept=${image.fileEntityId} ?data-refused=${!src}>
    ${
      src
        ? thumbnail(
            src,
            {
              url: src,
              prompt: image.prompt,
              fileName: image.fileName ?? 'image.png',
              ...(image.size ? { size: image.size } : {}),
              ...(image.provenance.modelId ? { modelId: image.provenance.modelId } : {}),
            },
            actions.open,
          )
        : html`<p class="refused-image" role="img" aria-label=${`${image.prompt || 'Image'}: not shown`}>
            This image’s address is not allowed.
          </p>`
    }
    <figcaption class="kept-caption">
      <span class="hint provenance">${keptImageProvenance(image)}</span>
      ${
        src
          ? html`<button
              type="button"
              part="button"
              data-action="download"
              @click=${() => {
                actions.download(src, image.fileName ?? 'image.png');
              }}
            >
              Download
            </button>`
          : nothing
      }
    </figcaption>
  </figure>`;
}

/** The kept images grouped by prompt (or, read-only with none, a line saying so). */
export function renderKept(
  kept: KeptImage[],
  options: { readonly: boolean; downloadNotice: string | undefined },
  actions: KeptActions,
): TemplateResult | typeof nothing {
  if (kept.length === 0) return options.readonly ? html`<p class="status">No images have been kept yet.</p>` : nothing;
  const byPrompt = new Map<string, KeptImage[]>();
  for (const image of kept) byPrompt.set(image.prompt, [...(byPrompt.get(image.prompt) ?? []), image]);
  return html`<section aria-label="Kept images" part="kept">
    ${[...byPrompt.entries()].map(
      ([prompt, images]) =>
        html`<h3 class="hint">${prompt || 'Untitled'}</h3>
          <div class="grid">${images.map((image) => renderKeptImage(image, actions))}</div>`,
    )}
    ${
      options.downloadNotice
        ? html`<p class="status" role="status" data-notice="download">${options.downloadNotice}</p>`
        : nothing
    }
  </section>`;
}
