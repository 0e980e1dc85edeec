/**
 * A small PNG encoder for 8-bit RGB images: signature, IHDR, one IDAT and IEND, rows unfiltered.
 * The zlib stream is either "stored" (no compression, this file's own code, byte-exact
 * everywhere) or compressed with the platform's CompressionStream('deflate') (much smaller;
 * deterministic for one browser build, but other zlib builds may pick other bytes).
 */

export type PngCompression = 'stored' | 'deflate';

export interface RgbImage {
  width: number;
  height: number;
  /** Row-major RGB triples, `width × height × 3` bytes. */
  rgb: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    let value = index;
    for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309), as PNG chunks use it. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  let crc = ~initial >>> 0;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** Adler-32, the zlib stream's checksum. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the longest run whose sums cannot overflow before the modulo.
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(bytes.length, start + 5552);
    for (let index = start; index < end; index += 1) {
      a += bytes[index] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream of stored (uncompressed) deflate blocks of at most 65,535 bytes. */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  // CMF 0x78 (deflate, 32 KiB window), FLG 0x01 (no dictionary, fastest; 0x7801 % 31 === 0).
  out[0] = 0x78;
  out[1] = 0x01;
  let offset = 2;
  for (let block = 0; block < blocks; block += 1) {
    const chunk = data.subarray(block * 65535, Math.min(data.length, (block + 1) * 65535));
    out[offset] = block === blocks - 1 ? 1 : 0;
    view.setUint16(offset + 1, chunk.length, true);
    view.setUint16(offset + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, offset + 5);
    offset += 5 + chunk.length;
  }
  view.setUint32(offset, adler32(data));
  return out;
}

async function zlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let index = 0; index < 4; index += 1) out[4 + index] = type.charCodeAt(index);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Each row prefixed with filter type 0 (none). */
function scanlines(image: RgbImage): Uint8Array {
  const { width, height, rgb } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`Bad image size ${width}×${height}`);
  if (rgb.length !== width * height * 3)
    throw new RangeError(`Expected ${width * height * 3} bytes of RGB, got ${rgb.length}`);
  const stride = width * 3;
  const out = new Uint8Array((stride + 1) * height);
  for (let row = 0; row < height; row += 1)
    out.set(rgb.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  return out;
}

function assemble(image: RgbImage, compressed: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', compressed),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Encodes an RGB image as PNG without compression: the same pixels always give the same bytes. */
export function encodePngStored(image: RgbImage): Uint8Array {
  return assemble(image, zlibStored(scanlines(image)));
}

/** Encodes an RGB image as PNG; 'deflate' falls back to 'stored' where CompressionStream is missing. */
export async function encodePng(image: RgbImage, compression: PngCompression = 'deflate'): Promise<Uint8Array> {
  if (compression === 'stored' || typeof CompressionStream === 'undefined') return encodePngStored(image);
  return assemble(image, await zlibDeflate(scanlines(image)));
}
