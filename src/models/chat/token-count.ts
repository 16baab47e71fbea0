/**
 * Local token counting with tiktoken's rank tables (from js-tiktoken), used whenever a provider reports no usage (and by offline models).
 * Counts are estimates for non-OpenAI models: their tokenizers differ, but the order of magnitude holds.
 * Rank tables are imported lazily (1-2 MB each) so importing this module stays cheap.
 */

import type { ChatMessage } from "../types.js";
import { BpeCounter } from "./bpe.js";

export type EncodingName = "cl100k_base" | "o200k_base";

/**
 * An encoder plus a memo of token counts per pre-tokenizer piece. Tiktoken first splits text with its
 * regex into pieces (words with their leading space, digit runs, punctuation, whitespace), then encodes
 * each piece on its own, so the count of a text is the sum of its pieces' counts. Real text repeats a
 * small vocabulary of pieces, so counting a 3,000-token prompt becomes regex matching plus map lookups
 * instead of UTF-8 encoding and byte-pair merging every piece (about 5x faster), with identical counts.
 */
interface Counter {
  /** tiktoken's merge algorithm over a compact rank table (see bpe.ts), same counts. */
  encoder: BpeCounter;
  pattern: RegExp;
  pieces: Map<string, number>;
}

/**
 * Pieces up to this long are memoized. V8 keeps substrings of 13 characters or more as slices of
 * their parent, so those are copied before they become keys (caching a slice would pin a prompt).
 */
const MAX_CACHED_PIECE = 48;
const MAX_SLICE_FREE = 12;
const MAX_CACHED_PIECES = 200_000;
/**
 * Byte-pair encoding is quadratic in the length of a piece (js-tiktoken's encoder is worse: 10 s for
 * one 10,000-letter piece), and one piece can be a whole 40,000-letter question or a title without
 * spaces. Longer pieces are counted in slices of this many characters, so counting is linear in the
 * text: exact for the pieces of real text (words, numbers, punctuation runs are shorter), and for
 * longer ones at most about one extra token per slice, the safe side for budgets and context windows.
 */
const MAX_PIECE = 48;

const counters = new Map<EncodingName, Promise<Counter>>();

/** o200k for OpenAI's 4o / 4.1 / o-series / gpt-5 families, cl100k for everything else. */
export function encodingForModel(model: string): EncodingName {
  const name = model.toLowerCase().split("/").pop() ?? "";
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o)/.test(name) ? "o200k_base" : "cl100k_base";
}

function counter(name: EncodingName): Promise<Counter> {
  let c = counters.get(name);
  if (!c) {
    const ranks =
      name === "o200k_base"
        ? import("js-tiktoken/ranks/o200k_base").then((m) => m.default)
        : import("js-tiktoken/ranks/cl100k_base").then((m) => m.default);
    c = ranks.then((r) => ({
      encoder: new BpeCounter(r.bpe_ranks),
      pattern: new RegExp(r.pat_str, "gu"),
      pieces: new Map(),
    }));
    counters.set(name, c);
  }
  return c;
}

/**
 * The encodings whose rank tables are loaded (or loading) in this process. Loading one costs ~250 ms of
 * CPU on first use; the API warms them at start (src/runtime/warm-up.ts) and its test reads this.
 */
export function loadedEncodings(): EncodingName[] {
  return [...counters.keys()];
}

/** Loads an encoding's rank table now, so the first request that counts tokens does not. */
export async function warmEncoding(name: EncodingName): Promise<void> {
  await counter(name);
}

function count(c: Counter, text: string): number {
  let total = 0;
  for (const [piece] of text.matchAll(c.pattern)) {
    if (piece.length <= MAX_PIECE) total += pieceTokens(c, piece);
    else {
      for (let i = 0; i < piece.length; ) {
        // Never end a slice between the two halves of a surrogate pair.
        let end = Math.min(i + MAX_PIECE, piece.length);
        if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end--;
        total += pieceTokens(c, piece.slice(i, end));
        i = end;
      }
    }
  }
  return total;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function pieceTokens(c: Counter, piece: string): number {
  let n = c.pieces.get(piece);
  if (n === undefined) {
    // Special tokens ("<|endoftext|>") in user text are counted as the plain text they are.
    n = c.encoder.count(piece);
    if (piece.length <= MAX_CACHED_PIECE) {
      if (c.pieces.size >= MAX_CACHED_PIECES) c.pieces.clear();
      c.pieces.set(piece.length > MAX_SLICE_FREE ? Buffer.from(piece).toString() : piece, n);
    }
  }
  return n;
}

export async function countTextTokens(text: string, encoding: EncodingName = "cl100k_base"): Promise<number> {
  if (!text) return 0;
  return count(await counter(encoding), text);
}

/**
 * Prompt tokens for a chat request, following OpenAI's published accounting: each message costs its
 * content plus role and 3 framing tokens, and the reply is primed with 3 more.
 */
export async function countChatTokens(
  messages: ChatMessage[],
  encoding: EncodingName = "cl100k_base",
): Promise<number> {
  const c = await counter(encoding);
  let total = 3;
  for (const m of messages) total += 3 + count(c, m.role) + count(c, m.content);
  return total;
}
