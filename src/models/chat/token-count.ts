/**
 * Local token counting with js-tiktoken, used whenever a provider reports no usage (and by offline models).
 * Counts are estimates for non-OpenAI models: their tokenizers differ, but the order of magnitude holds.
 * Rank tables are imported lazily (1-2 MB each) so importing this module stays cheap.
 */
import { Tiktoken } from "js-tiktoken/lite";
import type { ChatMessage } from "../types.js";

export type EncodingName = "cl100k_base" | "o200k_base";

/**
 * An encoder plus a memo of token counts per pre-tokenizer piece. Tiktoken first splits text with its
 * regex into pieces (words with their leading space, digit runs, punctuation, whitespace), then encodes
 * each piece on its own, so the count of a text is the sum of its pieces' counts. Real text repeats a
 * small vocabulary of pieces, so counting a 3,000-token prompt becomes regex matching plus map lookups
 * instead of UTF-8 encoding and byte-pair merging every piece (about 5x faster), with identical counts.
 */
interface Counter {
  encoder: Tiktoken;
  pattern: RegExp;
  pieces: Map<string, number>;
}

/** V8 keeps substrings this long or longer as slices of their parent: caching one would pin a prompt. */
const MAX_CACHED_PIECE = 12;
const MAX_CACHED_PIECES = 200_000;

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
      encoder: new Tiktoken(r),
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
    let n = c.pieces.get(piece);
    if (n === undefined) {
      // Special tokens ("<|endoftext|>") in user text are counted as the plain text they are.
      n = c.encoder.encode(piece, [], []).length;
      if (piece.length <= MAX_CACHED_PIECE) {
        if (c.pieces.size >= MAX_CACHED_PIECES) c.pieces.clear();
        c.pieces.set(piece, n);
      }
    }
    total += n;
  }
  return total;
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
