import type { Chunk, ChunkingOptions, ParsedDocument } from "../types.js";
import { type Atom, atomize } from "./atoms.js";
import { overlapStart } from "./overlap.js";
import { headingSections } from "./sections.js";
import { countTokens } from "./tokens.js";

export { CHUNK_SIZE_MAX, CHUNK_SIZE_MIN, chunkingSchema, DEFAULT_CHUNKING } from "./options.js";

/**
 * A chunk is never filled below this share of its budget just to end at a stronger boundary;
 * above it, a paragraph end beats a line end beats a sentence end beats a word gap.
 */
const MIN_FILL = 0.5;

/**
 * Splits a parsed document into token-bounded chunks. A heading starts a new section; within a section,
 * chunks are assembled from sentences (words, character groups when a sentence alone is too long) and
 * cut at the strongest boundary available, and each chunk after the first repeats about chunkOverlap
 * tokens from the end of the previous one. Every chunk's text is doc.text.slice(charStart, charEnd).
 */
export function chunkDocument(doc: ParsedDocument, opts: ChunkingOptions): Chunk[] {
  const { chunkSize, chunkOverlap } = opts;
  if (!(chunkSize > 0) || chunkOverlap < 0 || chunkOverlap >= chunkSize) {
    throw new RangeError(`Invalid chunking options: chunkSize ${chunkSize}, chunkOverlap ${chunkOverlap}`);
  }
  const text = doc.text;
  const pages = doc.pages.filter((p) => p.end > p.start).sort((a, b) => a.start - b.start);
  const chunks: Chunk[] = [];

  const emit = (start: number, end: number, tokens: number, headingPath: string[]) => {
    const [pageStart, pageEnd] = pageRange(pages, start, end);
    chunks.push({
      ordinal: chunks.length,
      text: text.slice(start, end),
      charStart: start,
      charEnd: end,
      pageStart,
      pageEnd,
      headingPath,
      tokens,
    });
  };

  for (const section of headingSections(doc)) {
    const atoms = atomize(text, section.start, section.end, chunkSize);
    let i = 0;
    let carried: number | null = null;
    while (i < atoms.length) {
      let overlapTokens = carried === null ? 0 : countTokens(text.slice(carried, atoms[i]!.start));
      if (atoms[i]!.tokens > chunkSize - overlapTokens) {
        carried = null;
        overlapTokens = 0;
      }
      let j = cutAfter(atoms, i, chunkSize - overlapTokens);
      const from = carried ?? atoms[i]!.start;
      let span = trim(text, from, atoms[j - 1]!.end);
      let tokens = countTokens(text.slice(span[0], span[1]));
      // Atom counts are summed, and BPE across atom joins almost always merges (so sums overestimate);
      // when it does not, give back atoms until the exact count fits.
      while (tokens > chunkSize && j - 1 > i) {
        j--;
        span = trim(text, from, atoms[j - 1]!.end);
        tokens = countTokens(text.slice(span[0], span[1]));
      }
      if (span[1] > span[0]) emit(span[0], span[1], tokens, section.headingPath);
      i = j;
      carried =
        i < atoms.length && chunkOverlap > 0 ? overlapStart(text, span[0], span[1], chunkOverlap) : null;
    }
  }
  return chunks;
}

/** Index after the last atom of the chunk starting at atom i: greedy fill, then back off to the best boundary. */
function cutAfter(atoms: Atom[], i: number, budget: number): number {
  let sum = 0;
  let j = i;
  while (j < atoms.length && sum + atoms[j]!.tokens <= budget) sum += atoms[j++]!.tokens;
  if (j === i) return i + 1;
  if (j === atoms.length) return j;
  let best = j - 1;
  let filled = sum;
  for (let k = j - 1; k > i; k--) {
    filled -= atoms[k]!.tokens;
    if (filled < budget * MIN_FILL) break;
    if (atoms[k - 1]!.break > atoms[best]!.break) best = k - 1;
  }
  return best + 1;
}

function trim(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return [s, e];
}

function pageRange(
  pages: ParsedDocument["pages"],
  start: number,
  end: number,
): [number | null, number | null] {
  if (pages.length === 0) return [null, null];
  // First page ending after start; last page starting before end.
  let lo = 0;
  let hi = pages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pages[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  const first = pages[Math.min(lo, pages.length - 1)]!;
  lo = 0;
  hi = pages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pages[mid]!.start < end) lo = mid + 1;
    else hi = mid;
  }
  const last = pages[Math.max(lo - 1, 0)]!;
  return [first.number, Math.max(first.number, last.number)];
}
