/**
 * Moves the focus to a control that may sit in a closed disclosure (the engine picker, its model
 * list): each `<details>` around it opens first, since a control that is not rendered cannot
 * take the focus and the keyboard would be left on the page.
 */
export function revealAndFocus(element: HTMLElement | null | undefined): void {
  for (let details = element?.closest('details'); details; details = details.parentElement?.closest('details'))
    details.open = true;
  element?.focus();
}
