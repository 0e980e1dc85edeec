import { html, nothing, type TemplateResult } from 'lit';

/** How long a Copy button says "Copied". */
const COPIED_MS = 2000;

/** Copies text to the clipboard; a page that refuses clipboard access leaves it as it was (nothing to report). */
export async function copyText(text: string): Promise<boolean> {
  return navigator.clipboard.writeText(text).then(
    () => true,
    () => false,
  );
}

/**
 * A Copy button that says "Copied" for a moment once the text is on the clipboard (the word is
 * drawn by CSS from `data-copied`, so the template's own text is never touched).
 * `accessibleName` tells repeated buttons apart ("Copy reply 3").
 */
export function renderCopyButton(text: string, accessibleName?: string): TemplateResult {
  const handleClick = async (event: Event) => {
    const button = event.currentTarget as HTMLButtonElement;
    if (!(await copyText(text))) return;
    button.dataset['copied'] = '';
    setTimeout(() => delete button.dataset['copied'], COPIED_MS);
  };
  return html`<button
    type="button"
    part="button"
    data-action="copy"
    aria-label=${accessibleName ?? nothing}
    @click=${(event: Event) => void handleClick(event)}
  >
    <span class="copy-label">Copy</span>
  </button>`;
}
