import { createHash, randomBytes } from 'node:crypto';
import { Sha256 } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the incremental SHA-256 (model downloads hash while they stream)', () => {
  it('matches node:crypto on the standard vectors', () => {
    expect(new Sha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const long = new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    expect(new Sha256().update(long).hex()).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65_537, 1_048_583])(
    'matches node:crypto for %i bytes fed in uneven pieces',
    (size) => {
      const bytes = randomBytes(size);
      const hash = new Sha256();
      // Pieces of 1, 2, 3, … bytes: every alignment against the 64-byte block.
      for (let offset = 0, piece = 1; offset < size; offset += piece, piece = (piece % 97) + 1)
        hash.update(bytes.subarray(offset, offset + piece));
      expect(hash.hex()).toBe(reference(bytes));
      expect(new Sha256().update(bytes).hex()).toBe(reference(bytes));
    },
  );

  it('returns the same digest when asked twice, and refuses more input after it', () => {
    const hash = new Sha256().update(new Uint8Array([1, 2, 3]));
    const digest = hash.hex();
    expect(hash.hex()).toBe(digest);
    expect(() => hash.update(new Uint8Array([4]))).toThrow(/finished/);
  });
});
