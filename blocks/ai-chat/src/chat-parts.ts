import { html, nothing, type TemplateResult } from 'lit';

/** An example exchange: what a person sees before the first message (and in the hub's preview). */
export function renderExampleExchange(preview = false): TemplateResult {
  return html`<div class="example" role="group" aria-label="Example conversation">
    <p class="hint">${preview ? 'An example conversation.' : 'Example — write a message below to start.'}</p>
    <div class="message user"><div class="body">What is a good name for a lighthouse cat?</div></div>
    <div class="message assistant">
      <div class="body markdown">
        <p>How about <strong>Beacon</strong>, <strong>Foghorn</strong> or <strong>Lumen</strong>?</p>
      </div>
    </div>
  </div>`;
}

/** "‹ 2/3 ›" to switch between the versions of a message; nothing when it has one. */
export function renderVersionSwitch(
  index: number,
  count: number,
  busy: boolean,
  onStep: (step: -1 | 1) => void,
): TemplateResult | typeof nothing {
  if (count <= 1) return nothing;
  return html`<span class="branches" role="group" aria-label="Versions of this message">
    <button
      type="button"
      part="button"
      data-action="previous-branch"
      aria-label="Previous version"
      ?disabled=${index <= 0 || busy}
      @click=${() => onStep(-1)}
    >
      <span aria-hidden="true">‹</span>
    </button>
    <span class="branch-position">${index + 1}/${count}</span>
    <button
      type="button"
      part="button"
      data-action="next-branch"
      aria-label="Next version"
      ?disabled=${index >= count - 1 || busy}
      @click=${() => onStep(1)}
    >
      <span aria-hidden="true">›</span>
    </button>
  </span>`;
}

/** Says how many of the oldest messages the last request left out; nothing when none were. */
export function renderTrimmedNotice(dropped: number): TemplateResult | typeof nothing {
  if (dropped <= 0) return nothing;
  const were = dropped === 1 ? ' was' : 's were';
  return html`<p class="status notice" role="status" data-notice="history-trimmed">
    The ${dropped} oldest message${were} left out of the request to fit the model’s context window.
  </p>`;
}
