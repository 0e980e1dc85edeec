import { formatBytes } from '@ai-blocks/runtime';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';

/**
 * Above this a run asks before it downloads its model: a reader on a metered connection or a
 * hub-preview visitor must not start hundreds of megabytes by pressing Send. The bundled test
 * model (well under a megabyte) never asks.
 */
export const DOWNLOAD_CONSENT_BYTES = 20_000_000;

/** A run waiting for the person to agree to its model's download. */
export interface DownloadRequest {
  modelName: string;
  bytes: number;
  run: () => void;
}

/**
 * Asks before a run downloads a large model. `allows` lets a run go at once when nothing large
 * is to be downloaded (or the person already agreed for that model on this page); otherwise it
 * keeps the run until `confirm` (which runs it) or `decline`.
 */
export class DownloadConsent {
  request: DownloadRequest | undefined;
  private readonly agreed = new Set<string>();
  private pendingId: string | undefined;

  constructor(private readonly host: ReactiveControllerHost) {}

  allows(model: { id: string; name: string } | undefined, bytes: number | undefined, run: () => void): boolean {
    if (!model || bytes === undefined || bytes < DOWNLOAD_CONSENT_BYTES || this.agreed.has(model.id)) return true;
    this.request = { modelName: model.name, bytes, run };
    this.pendingId = model.id;
    this.host.requestUpdate();
    return false;
  }

  confirm(): void {
    const request = this.request;
    if (!request) return;
    if (this.pendingId !== undefined) this.agreed.add(this.pendingId);
    this.request = undefined;
    this.host.requestUpdate();
    request.run();
  }

  decline(): void {
    this.request = undefined;
    this.host.requestUpdate();
  }
}

/** The question a waiting run asks: the model, its size, and Download / Not now. */
export function renderDownloadConsent(consent: DownloadConsent | undefined): TemplateResult | typeof nothing {
  const request = consent?.request;
  if (!consent || !request) return nothing;
  const size = formatBytes(request.bytes);
  return html`<div class="download-consent" role="group" aria-labelledby="download-consent-text" data-consent>
    <p id="download-consent-text">
      ${request.modelName} runs in this browser after a one-time download of ${size}. It is kept in this browser for
      next time and can be deleted in the model list.
    </p>
    <div class="row">
      <button
        type="button"
        class="primary"
        part="button"
        data-action="confirm-download"
        @click=${() => consent.confirm()}
      >
        Download ${size} and continue
      </button>
      <button type="button" part="button" data-action="decline-download" @click=${() => consent.decline()}>
        Not now
      </button>
    </div>
  </div>`;
}
