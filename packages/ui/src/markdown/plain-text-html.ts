/**
 * The text as escaped HTML with its line breaks: shown until the renderer is there, and for
 * text that is not parsed as Markdown (past the limits, or when parsing failed).
 */
export function plainTextHtml(source: string): string {
  const escaped = source.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<p class="md-plain">${escaped}</p>`;
}
