/** Copies text to the clipboard; a page that refuses clipboard access leaves it as it was (nothing to report). */
export async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text).catch(() => undefined);
}
