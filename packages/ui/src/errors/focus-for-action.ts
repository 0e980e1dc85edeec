import { revealAndFocus } from '../reveal.js';
import type { ErrorAction } from './error-messages.js';

/**
 * Takes the person to where an error notice's action is done (everything but "Try again"):
 * the engine picker to choose another engine, set up a key or manage stored models; the
 * input (`inputSelector`, e.g. `#prompt`) to edit or shorten what was asked.
 */
export function focusForErrorAction(
  root: ParentNode,
  action: Exclude<ErrorAction, 'retry'>,
  inputSelector: string,
): void {
  const selector = action === 'shorten-input' || action === 'rephrase' ? inputSelector : '#engine';
  revealAndFocus(root.querySelector<HTMLElement>(selector));
}
