import { createRequire } from "node:module";
import type { Tiktoken, TiktokenBPE } from "js-tiktoken/lite";
import { BpeCounter } from "../../src/models/chat/bpe.js";

/**
 * cl100k_base token counts, fast. tiktoken splits text with a regex into pieces and byte-pair-encodes
 * each piece on its own, so a text's count is the sum of its pieces' counts. Natural language repeats
 * the same pieces (words) endlessly, so counting with a per-piece cache is several times faster than
 * encoding, and never throws on text that happens to contain "<|endoftext|>".
 */
// The ranks file is about 1 MB of JS: load it on first use, synchronously so chunking stays a plain
// function (the CommonJS build of the package exists for exactly this).
const require = createRequire(import.meta.url);
let encoder: { bpe: BpeCounter; pieces: RegExp; piece: RegExp } | null = null;
const cache = new Map<string, number>();
const MAX_CACHE = 200_000;
/**
 * BPE is quadratic in piece length (512 unspaced CJK characters take ~0.4 s), so longer
 * pieces (unspaced CJK runs, minified data) are counted in slices. That can overcount by a token at a
 * slice edge, never undercount in practice, which is the safe direction for a size limit.
 */
const MAX_PIECE = 48;

function ready(): { bpe: BpeCounter; pieces: RegExp; piece: RegExp } {
  if (!encoder) {
    const ranks: TiktokenBPE = require("js-tiktoken/ranks/cl100k_base");
    encoder = {
      bpe: new BpeCounter(ranks.bpe_ranks),
      pieces: new RegExp(ranks.pat_str, "gu"),
      piece: new RegExp(ranks.pat_str, "uy"),
    };
  }
  return encoder;
}

/**
 * Loads the rank table now (~50 ms) rather than in the middle of the first document chunked:
 * processes that run the ingestion pipeline call it at start.
 */
export function warmTokenCounter(): void {
  ready();
}

export function countTokens(text: string): number {
  const { bpe, pieces, piece: sticky } = ready();
  let total = 0;
  // The pattern's pieces tile any text, so a sticky test() at each piece's end finds the next piece
  // without allocating a match array per piece (this runs for every piece of every document).
  let at = 0;
  while (at < text.length) {
    sticky.lastIndex = at;
    if (!sticky.test(text)) {
      pieces.lastIndex = at;
      const m = pieces.exec(text);
      if (m === null) break;
      at = m.index;
      continue;
    }
    const piece = text.slice(at, sticky.lastIndex);
    at = sticky.lastIndex;
    if (piece.length <= MAX_PIECE) {
      total += pieceTokens(bpe, piece);
      continue;
    }
    for (let i = 0; i < piece.length; i += MAX_PIECE) {
      // Do not cut a surrogate pair: end the slice before a lone high surrogate.
      let end = Math.min(i + MAX_PIECE, piece.length);
      if (end < piece.length && /[\ud800-\udbff]/.test(piece[end - 1]!)) end--;
      total += pieceTokens(bpe, piece.slice(i, end));
      i = end - MAX_PIECE;
    }
  }
  return total;
}

function pieceTokens(bpe: BpeCounter, piece: string): number {
  let n = cache.get(piece);
  if (n === undefined) {
    n = bpe.count(piece);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(piece, n);
  }
  return n;
}

let reference: Tiktoken | undefined;

/**
 * Exact encoding with js-tiktoken, the reference tokenizer, for tests that check countTokens. Loaded
 * only when called: its tables cost ~80 MB that counting does not need.
 */
export function encodeTokens(text: string): number[] {
  if (!reference) {
    const lite: typeof import("js-tiktoken/lite") = require("js-tiktoken/lite");
    reference = new lite.Tiktoken(require("js-tiktoken/ranks/cl100k_base"));
  }
  return reference.encode(text, [], []);
}
