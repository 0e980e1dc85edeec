/**
 * CLIP's byte-level BPE tokenizer, read from a model's `vocab.json` and `merges.txt` (the
 * files Stable Diffusion ships in `tokenizer/`). Text is NFC-normalised, whitespace collapsed
 * and lower-cased, split with CLIP's pattern, each piece mapped byte by byte to printable
 * characters, the last one marked `</w>`, and merged by rank.
 */

export interface ClipTokenizerOptions {
  /** Token count of the encoder's input, BOS and EOS included (77 for SD). */
  maxLength: number;
  /** SD 1.x pads with `<|endoftext|>`, SD 2.x (and SD-Turbo) with `!`. */
  padToken: string;
  bosToken?: string;
  eosToken?: string;
}

// CLIP's split pattern: special tokens, English contractions, letter runs, single digits, other runs.
const PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;

/** GPT-2/CLIP's table from bytes to printable characters (so BPE never sees whitespace or control bytes). */
function byteToCharacter(): string[] {
  const table = new Array<string>(256);
  const printable = (byte: number) =>
    (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  let extra = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    table[byte] = printable(byte) ? String.fromCharCode(byte) : String.fromCharCode(256 + extra++);
  }
  return table;
}

export class ClipTokenizer {
  readonly maxLength: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  private readonly vocab: Map<string, number>;
  private readonly ranks: Map<string, number>;
  private readonly bytes = byteToCharacter();
  private readonly cache = new Map<string, string[]>();
  private readonly encoder = new TextEncoder();

  constructor(vocab: Record<string, number>, merges: [string, string][], options: ClipTokenizerOptions) {
    this.vocab = new Map(Object.entries(vocab));
    this.ranks = new Map(merges.map(([left, right], rank) => [`${left} ${right}`, rank]));
    this.maxLength = options.maxLength;
    const id = (token: string) => {
      const value = this.vocab.get(token);
      if (value === undefined) throw new Error(`The tokenizer's vocabulary has no ${token}`);
      return value;
    };
    this.bosId = id(options.bosToken ?? '<|startoftext|>');
    this.eosId = id(options.eosToken ?? '<|endoftext|>');
    this.padId = id(options.padToken);
    if (this.maxLength < 2) throw new Error('maxLength must leave room for the start and end tokens');
  }

  /** Reads `vocab.json` and `merges.txt` as the Hugging Face files have them. */
  static fromFiles(vocabJson: string, mergesText: string, options: ClipTokenizerOptions): ClipTokenizer {
    const vocab = JSON.parse(vocabJson) as unknown;
    if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab))
      throw new Error('vocab.json is not an object of token ids');
    const merges: [string, string][] = [];
    for (const line of mergesText.split('\n')) {
      if (line.startsWith('#version') || line.trim() === '') continue;
      const parts = line.split(' ');
      if (parts.length !== 2 || !parts[0] || !parts[1])
        throw new Error(`merges.txt has a line that is not a pair: ${JSON.stringify(line)}`);
      merges.push([parts[0], parts[1]]);
    }
    return new ClipTokenizer(vocab as Record<string, number>, merges, options);
  }

  /** The BPE tokens of a text (no start, end or padding). */
  tokenize(text: string): string[] {
    const cleaned = text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
    const tokens: string[] = [];
    for (const match of cleaned.matchAll(PATTERN)) {
      const piece = match[0];
      if (piece === '<|startoftext|>' || piece === '<|endoftext|>') {
        tokens.push(piece);
        continue;
      }
      const characters = Array.from(this.encoder.encode(piece), (byte) => this.bytes[byte] ?? '');
      tokens.push(...this.bpe(characters));
    }
    return tokens;
  }

  /** Token ids of exactly `maxLength`: start, the text's tokens (cut to fit), end, then padding. */
  encode(text: string): number[] {
    const body = this.tokenize(text)
      .map((token) => this.vocab.get(token) ?? this.eosId)
      .slice(0, this.maxLength - 2);
    const ids = [this.bosId, ...body, this.eosId];
    while (ids.length < this.maxLength) ids.push(this.padId);
    return ids;
  }

  private bpe(characters: string[]): string[] {
    const key = characters.join('');
    const cached = this.cache.get(key);
    if (cached) return cached;
    let word = characters.map((character, index) => (index === characters.length - 1 ? `${character}</w>` : character));
    while (word.length > 1) {
      let best: number | undefined;
      let bestRank = Infinity;
      for (let index = 0; index < word.length - 1; index += 1) {
        const rank = this.ranks.get(`${word[index] ?? ''} ${word[index + 1] ?? ''}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = index;
        }
      }
      if (best === undefined) break;
      const left = word[best] ?? '';
      const right = word[best + 1] ?? '';
      // Merge every occurrence of the best pair, left to right.
      const merged: string[] = [];
      for (let index = 0; index < word.length; index += 1) {
        if (index < word.length - 1 && word[index] === left && word[index + 1] === right) {
          merged.push(left + right);
          index += 1;
        } else merged.push(word[index] ?? '');
      }
      word = merged;
    }
    if (this.cache.size < 10_000) this.cache.set(key, word);
    return word;
  }
}
