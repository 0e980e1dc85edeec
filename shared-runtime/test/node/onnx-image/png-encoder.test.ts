import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32, crc32, encodePng, encodePngStored, toRgb } from '@ai-blocks/runtime';

/** An independent PNG reader: chunks with their CRCs checked by node:zlib, IDAT inflated by node:zlib. */
function readPng(png: Uint8Array) {
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length), `${type} CRC`).toBe(
      zlibCrc32(png.subarray(offset + 4, offset + 8 + length)),
    );
    chunks.push({ type, data });
    offset += 12 + length;
  }
  const header = new DataView(chunks[0]?.data.buffer ?? new ArrayBuffer(13), chunks[0]?.data.byteOffset, 13);
  const idat = chunks.find((chunk) => chunk.type === 'IDAT')?.data ?? new Uint8Array();
  return {
    types: chunks.map((chunk) => chunk.type),
    width: header.getUint32(0),
    height: header.getUint32(4),
    depthAndColour: [header.getUint8(8), header.getUint8(9)],
    scanlines: new Uint8Array(inflateSync(idat)),
    idat,
  };
}

function gradient(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let index = 0; index < rgb.length; index += 1) rgb[index] = (index * 7 + (index % 3) * 50) & 0xff;
  return rgb;
}

function expectRows(scanlines: Uint8Array, rgb: Uint8Array, width: number, height: number) {
  const stride = width * 3;
  expect(scanlines.length).toBe((stride + 1) * height);
  for (let row = 0; row < height; row += 1) {
    expect(scanlines[row * (stride + 1)]).toBe(0);
    expect(scanlines.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1))).toEqual(
      rgb.subarray(row * stride, (row + 1) * stride),
    );
  }
}

describe('PNG encoder', () => {
  it('writes an 8-bit RGB PNG whose chunks, CRCs and stored zlib stream standard readers accept', () => {
    const rgb = gradient(5, 3);
    const png = readPng(encodePngStored({ width: 5, height: 3, rgb }));
    expect(png.types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([png.width, png.height, ...png.depthAndColour]).toEqual([5, 3, 8, 2]);
    expectRows(png.scanlines, rgb, 5, 3);
  });

  it('splits large images into several stored blocks of at most 65,535 bytes', () => {
    const rgb = gradient(200, 150);
    const png = readPng(encodePngStored({ width: 200, height: 150, rgb }));
    expectRows(png.scanlines, rgb, 200, 150);
    // (601 × 150 bytes) in two blocks: 2 header + 2 × 5 block headers + data + 4 Adler-32.
    expect(png.idat.length).toBe(2 + 10 + 601 * 150 + 4);
  });

  it('is byte-identical for the same pixels', () => {
    const rgb = gradient(16, 16);
    expect(encodePngStored({ width: 16, height: 16, rgb })).toEqual(
      encodePngStored({ width: 16, height: 16, rgb: rgb.slice() }),
    );
  });

  it('compresses with CompressionStream("deflate") to the same pixels, smaller', async () => {
    const rgb = new Uint8Array(64 * 64 * 3).fill(200);
    const stored = await encodePng({ width: 64, height: 64, rgb }, 'stored');
    const deflated = await encodePng({ width: 64, height: 64, rgb });
    expect(deflated.length).toBeLessThan(stored.length / 10);
    expectRows(readPng(deflated).scanlines, rgb, 64, 64);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => encodePngStored({ width: 2, height: 2, rgb: new Uint8Array(11) })).toThrow(RangeError);
    expect(() => encodePngStored({ width: 0, height: 2, rgb: new Uint8Array(0) })).toThrow(RangeError);
  });

  it('has the standard checksums', () => {
    const bytes = new TextEncoder().encode('Wikipedia');
    expect(adler32(bytes)).toBe(0x11e60398);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });

  it('turns decoder output in [-1, 1] (NCHW) into rounded, clamped RGB', () => {
    // Two pixels: R plane, G plane, B plane.
    const planes = new Float32Array([-1, 1, 0, 2, -3, 0.5]);
    expect(Array.from(toRgb(planes, 2, 1))).toEqual([0, 128, 0, 255, 255, 191]);
  });
});
