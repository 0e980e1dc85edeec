import { safeImageUrl } from '@ai-blocks/ui';

/**
 * Saves a kept image as a file; resolves with why it did not, or undefined when it did. The
 * stored URL is never bound to a link (a `javascript:` URL would run on the click): it is
 * checked, fetched, and offered as a blob of image bytes.
 */
export async function downloadImage(url: string, fileName: string): Promise<string | undefined> {
  const safe = safeImageUrl(url);
  if (!safe) return 'This image’s address is not allowed, so it cannot be downloaded.';
  try {
    const response = await fetch(safe, { credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const fetched = await response.blob();
    // Whatever came back is saved as bytes (a same-origin blob with `download` never opens as a page).
    const blob = fetched.type.startsWith('image/')
      ? fetched
      : new Blob([fetched], { type: 'application/octet-stream' });
    const objectUrl = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = objectUrl;
    link.download = fileName.replace(/[^\w.-]+/g, '_') || 'image.png';
    link.click();
    // The download has started by now; the URL is only needed for that.
    setTimeout(() => {
      URL.revokeObjectURL(objectUrl);
    }, 10_000);
    return undefined;
  } catch {
    return 'The image could not be downloaded: open it and save it from there.';
  }
}
