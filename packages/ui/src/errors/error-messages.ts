import { html, nothing, type TemplateResult } from 'lit';

/** What a person can do about an error; the block wires each to a button. */
export type ErrorAction = 'retry' | 'switch-engine' | 'configure-host' | 'shorten-input' | 'rephrase' | 'free-storage';

export interface ErrorDescription {
  title: string;
  detail: string;
  actions: ErrorAction[];
}

/**
 * One message per runtime error code, each with the action that helps. Never a generic
 * "something went wrong": unknown codes still say what happened and offer retry.
 */
const descriptions: Record<string, ErrorDescription> = {
  AUTHENTICATION: {
    title: 'The AI service rejected the credentials',
    detail: 'Set a valid API key where this page’s host keeps it, or choose another engine.',
    actions: ['configure-host', 'switch-engine'],
  },
  RATE_LIMITED: {
    title: 'Too many requests right now',
    detail: 'The AI service is limiting requests. Wait a moment and try again.',
    actions: ['retry', 'switch-engine'],
  },
  OUT_OF_QUOTA: {
    title: 'The AI service account has no quota left',
    detail: 'Check the account’s plan and billing, or use the free in-browser model instead.',
    actions: ['switch-engine'],
  },
  INPUT_TOO_LONG: {
    title: 'The prompt is too long for this model',
    detail: 'Shorten the prompt or system instruction, or pick a model with a larger context window.',
    actions: ['shorten-input', 'switch-engine'],
  },
  CONTENT_FILTERED: {
    title: 'The AI service refused this request',
    detail: 'Its content policy blocked the prompt or the answer. Rephrase the prompt and try again.',
    actions: ['rephrase'],
  },
  INVALID_REQUEST: {
    title: 'The AI service did not accept the request',
    detail: 'One of the settings is not supported by this model. Change the settings or the model.',
    actions: ['switch-engine'],
  },
  NETWORK: {
    title: 'Could not reach the AI service',
    detail: 'Check the network connection and try again.',
    actions: ['retry', 'switch-engine'],
  },
  TIMEOUT: {
    title: 'The AI service took too long to answer',
    detail: 'It may be busy. Try again, or choose another engine.',
    actions: ['retry', 'switch-engine'],
  },
  BAD_RESPONSE: {
    title: 'The AI service sent an answer that could not be read',
    detail: 'Try again; if it keeps happening, the service or its configuration is at fault.',
    actions: ['retry', 'switch-engine'],
  },
  SERVER_ERROR: {
    title: 'The AI service had a problem on its side',
    detail: 'Try again in a little while.',
    actions: ['retry', 'switch-engine'],
  },
  ENGINE_UNAVAILABLE: {
    title: 'This engine cannot run here',
    detail: 'Choose another engine: the picker says which ones this browser and host support.',
    actions: ['switch-engine'],
  },
  MODEL_NOT_FOUND: {
    title: 'The model could not be found',
    detail: 'Check the model’s name or address, or pick another model.',
    actions: ['switch-engine'],
  },
  MODEL_LOAD_FAILED: {
    title: 'The model could not be loaded',
    detail: 'The download may have been cut off or the file is damaged. Try again, or pick another model.',
    actions: ['retry', 'switch-engine'],
  },
  STORAGE_FULL: {
    title: 'Not enough browser storage for this model',
    detail: 'Delete cached models you no longer use, or pick a smaller model.',
    actions: ['free-storage', 'switch-engine'],
  },
  DEVICE_LOST: {
    title: 'The graphics device stopped responding',
    detail: 'Nothing was lost. Try again to reload the model, or switch to the CPU engine.',
    actions: ['retry', 'switch-engine'],
  },
  NO_EMBEDDER: {
    title: 'This block is not connected to a page that saves it',
    detail: 'Your output stays here until you leave the page, but it cannot be saved.',
    actions: [],
  },
};

/** The description of an error code (unknown codes get a specific fallback, not a generic one). */
export function describeError(code: string, message?: string, retryAfterMs?: number): ErrorDescription {
  const description = descriptions[code] ?? {
    title: 'The request failed',
    detail: message ? `The engine reported: ${message}` : `Error code ${code}.`,
    actions: ['retry', 'switch-engine'],
  };
  // "Wait a moment" is wrong when the service named a wait (a rate limit's Retry-After): say it.
  if (code === 'RATE_LIMITED' && retryAfterMs !== undefined && retryAfterMs >= 1000)
    return {
      ...description,
      detail:
        `The AI service asked to wait ${formatWait(retryAfterMs)} before the next request. ` +
        'Try again then, or choose another engine.',
    };
  return description;
}

/** A wait as a person reads it: "12 seconds", "5 minutes", "about 2 hours". */
export function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hour${hours === 1 ? '' : 's'}`;
}

const actionLabels: Record<ErrorAction, string> = {
  retry: 'Try again',
  'switch-engine': 'Choose another engine',
  'configure-host': 'How to set a key',
  'shorten-input': 'Edit the prompt',
  rephrase: 'Edit the prompt',
  'free-storage': 'Manage storage',
};

/**
 * An error notice with the actions that help. `role="alert"` so screen readers announce it;
 * the engine's own message sits in a details disclosure.
 */
export function renderErrorNotice(
  error: { code: string; message: string; retryAfterMs?: number | undefined },
  onAction: (action: ErrorAction) => void,
  /** `retry: true` offers Try again whatever the error (a chat turn can always be tried again). */
  options: { retry?: boolean } = {},
): TemplateResult {
  const described = describeError(error.code, error.message, error.retryAfterMs);
  const description =
    options.retry && !described.actions.includes('retry')
      ? { ...described, actions: ['retry' as const, ...described.actions] }
      : described;
  return html`<div class="error-notice" role="alert" part="error" data-code=${error.code}>
    <strong class="error-title">${description.title}</strong>
    <p class="error-detail">${description.detail}</p>
    ${
      description.actions.length > 0
        ? html`<div class="error-actions">
            ${description.actions.map((action) =>
              action === 'configure-host'
                ? renderKeyHelp()
                : html`<button
                    type="button"
                    part="button error-action"
                    data-action=${action}
                    @click=${() => onAction(action)}
                  >
                    ${actionLabels[action]}
                  </button>`,
            )}
          </div>`
        : nothing
    }
    <details class="error-more">
      <summary>Details</summary>
      <code>${error.code}</code>: ${error.message}
    </details>
  </div>`;
}

/**
 * "How to set a key" opens where the person is: a block cannot take a key for the host's
 * service itself, so it says who can and what works without one.
 */
function renderKeyHelp(): TemplateResult {
  return html`<details class="key-help" data-action="configure-host">
    <summary part="button error-action">${actionLabels['configure-host']}</summary>
    <p>
      The key belongs to the site that shows this block: its server keeps it (or the site gives it to the block's
      settings), and it is never stored in the page's data. Ask whoever runs this site to set a valid key, or choose the
      in-browser engine, which needs no key and sends nothing away.
    </p>
  </details>`;
}
