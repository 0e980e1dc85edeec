/** Decodes base64 (standard alphabet) to bytes, in the browser and in Node. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The image media type the bytes really are (PNG, JPEG, WebP, GIF), else the fallback. */
export function sniffImageType(bytes: Uint8Array, fallback = 'image/png'): string {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  return fallback;
}

/** A size for people: "0.4 MB", "386 MB", "1.1 GB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return bytes < 10e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${String(Math.round(bytes / 1e6))} MB`;
}
