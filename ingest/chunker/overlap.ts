import { countTokens } from "./tokens.js";

// Lookbehinds start a run (of end marks, of spaces) only at its first character: linear, not quadratic.
const SENTENCE_START = /(?:(?<![.!?…])[.!?…]+["'”’)\]]*\s+|[。！？；]+[」』”’）)]*\s*|\n\s*)(?=\S)/g;
const WORD_START =
  /(?<!\s)\s+(?=\S)|(?<=[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])(?=[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])/gu;

/**
 * Where the next chunk should start so that it repeats at most `maxTokens` from the end of the chunk
 * [chunkStart, chunkEnd): the longest tail that starts a sentence, or a word when no sentence start
 * gives at least half the wanted overlap. Null when no tail fits (one huge word at the end).
 */
export function overlapStart(
  text: string,
  chunkStart: number,
  chunkEnd: number,
  maxTokens: number,
): number | null {
  // A token is rarely longer than 16 characters, so the tail cannot start before this.
  const from = Math.max(chunkStart, chunkEnd - maxTokens * 16);
  const window = text.slice(from, chunkEnd);
  const sentence = longestTail(
    text,
    candidates(window, SENTENCE_START, from, chunkStart),
    chunkEnd,
    maxTokens,
  );
  if (sentence && sentence.tokens >= maxTokens / 2) return sentence.start;
  const word = longestTail(text, candidates(window, WORD_START, from, chunkStart), chunkEnd, maxTokens);
  return (word ?? sentence)?.start ?? null;
}

function candidates(window: string, pattern: RegExp, offset: number, after: number): number[] {
  const out: number[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(window); m !== null; m = pattern.exec(window)) {
    const at = offset + m.index + m[0].length;
    if (at > after) out.push(at);
    // Step over a whole code point: a unicode regex set inside a surrogate pair backs up to its start.
    if (m[0].length === 0) pattern.lastIndex += window.codePointAt(pattern.lastIndex)! > 0xffff ? 2 : 1;
  }
  return out;
}

/** Earliest candidate whose tail fits; tails only shrink as the start moves right, so binary search. */
function longestTail(
  text: string,
  starts: number[],
  end: number,
  max: number,
): { start: number; tokens: number } | null {
  let lo = 0;
  let hi = starts.length;
  let found: { start: number; tokens: number } | null = null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const tokens = countTokens(text.slice(starts[mid], end));
    if (tokens <= max) {
      found = { start: starts[mid]!, tokens };
      hi = mid;
    } else lo = mid + 1;
  }
  return found;
}
