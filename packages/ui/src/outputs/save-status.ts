import { html, nothing, type TemplateResult } from 'lit';

/** A save state as the persistence package reports it (structural: no import). */
export interface SaveStatusState {
  status: 'idle' | 'saving' | 'saved' | 'unsaved' | 'readonly' | 'offline';
  nextRetryAt?: number;
  lastError?: { message: string };
}

/** Words for what is being saved, where a block says more than "Saved". */
export interface SaveStatusLabels {
  saving?: string;
  saved?: string;
  /** Start of the sentence for work not yet saved (default "Not saved yet"). */
  unsaved?: string;
}

/**
 * The block's save line: saving, saved, read-only, no page, or not saved yet (retrying, or
 * with a Retry now button once retries stopped), announced to screen readers.
 */
export function renderSaveStatus(
  state: SaveStatusState,
  onRetry: () => void,
  labels: SaveStatusLabels = {},
): TemplateResult | typeof nothing {
  if (state.status === 'idle') return nothing;
  const retrying = state.nextRetryAt ? ' — retrying' : '';
  const why = state.lastError ? ` (${state.lastError.message})` : '';
  const text =
    state.status === 'saving'
      ? (labels.saving ?? 'Saving…')
      : state.status === 'saved'
        ? (labels.saved ?? 'Saved')
        : state.status === 'readonly'
          ? 'Not saved: this page is read-only.'
          : state.status === 'offline'
            ? 'Not saved: no page to save to.'
            : `${labels.unsaved ?? 'Not saved yet'}${retrying}${why}.`;
  return html`<p class="status save-status" role="status" data-save=${state.status}>
    ${text}
    ${
      state.status === 'unsaved' && !state.nextRetryAt
        ? html`<button type="button" part="button" @click=${onRetry}>Retry now</button>`
        : nothing
    }
  </p>`;
}
