import type { SparseVector } from "../../../vector/types.js";
import { cjkGrams, type Unit } from "../text-analysis/analyze.js";
import { fnv1a32 } from "../text-analysis/hash.js";
import type { OfflineConfig } from "./config.js";

/**
 * Counts sparse terms per hashed index. Collisions (rare at 2^32) simply merge counts, which keeps
 * indices unique as Qdrant requires.
 */
function countTerms(
  units: Unit[],
  cfg: OfflineConfig,
): { counts: Map<number, number>; length: number; cjkLength: number } {
  const counts = new Map<number, number>();
  let length = 0;
  let cjkLength = 0;
  const add = (term: string, n: number) => {
    const idx = fnv1a32(term);
    counts.set(idx, (counts.get(idx) ?? 0) + n);
  };
  for (const u of units) {
    if (u.kind === "word") {
      add(u.term, 1);
      length++;
      continue;
    }
    for (const t of cjkTerms(u.text, cfg)) {
      add(t.term, 1);
      if (!t.unigram) cjkLength++;
    }
  }
  return { counts, length: length + cjkLength, cjkLength };
}

/**
 * Bigrams of a CJK run, plus (when enabled) every character as a unigram. A one-character run has no
 * bigram; it counts as a unigram when unigrams are on, else as an ordinary term so it is still found.
 */
function cjkTerms(run: string, cfg: OfflineConfig): { term: string; unigram: boolean }[] {
  const chars = Array.from(run);
  const out: { term: string; unigram: boolean }[] = [];
  if (chars.length > 1) for (const g of cjkGrams(run, false)) out.push({ term: g, unigram: false });
  if (cfg.cjkUnigrams) for (const c of chars) out.push({ term: unigramKey(c), unigram: true });
  else if (chars.length === 1) out.push({ term: run, unigram: false });
  return out;
}

/** Unigrams get their own key so a query can weight them apart from one-character runs and bigrams. */
function unigramKey(char: string): string {
  return "\u0001" + char;
}

function toVector(weights: Map<number, number>): SparseVector {
  const indices = [...weights.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((i) => weights.get(i)!) };
}

/**
 * Document side of BM25: the tf saturation and length normalisation. The engine's `idf` modifier
 * supplies the other factor at query time, so dot(query, doc) reproduces BM25.
 */
export function documentSparse(units: Unit[], cfg: OfflineConfig): SparseVector {
  const { counts, length, cjkLength } = countTerms(units, cfg);
  // Bigrams of running text and stemmed words are not the same unit of length, nor equally repetitive,
  // so a mostly-CJK chunk takes its own BM25 parameters.
  const p = cjkLength * 2 > length ? cfg.cjk : cfg;
  const ratio = Math.max(length / p.avgdl, cfg.minLengthRatio);
  const norm = p.k1 * (1 - p.b + p.b * ratio);
  const weights = new Map<number, number>();
  counts.forEach((tf, idx) => {
    weights.set(idx, (tf * (p.k1 + 1)) / (tf + norm));
  });
  return toVector(weights);
}

/** Query side: one per distinct term (repeats in a short query are noise, not emphasis). */
export function querySparse(units: Unit[], cfg: OfflineConfig): SparseVector {
  const weights = new Map<number, number>();
  const set = (term: string, w: number) => {
    const idx = fnv1a32(term);
    weights.set(idx, Math.max(weights.get(idx) ?? 0, w));
  };
  for (const u of units) {
    if (u.kind === "word") {
      set(u.term, 1);
      continue;
    }
    for (const t of cjkTerms(u.text, cfg)) set(t.term, t.unigram ? cfg.queryUnigramWeight : 1);
    if (u.unfolded !== undefined && cfg.queryUnfoldedWeight > 0)
      for (const t of cjkTerms(u.unfolded, cfg))
        set(t.term, (t.unigram ? cfg.queryUnigramWeight : 1) * cfg.queryUnfoldedWeight);
  }
  return toVector(weights);
}
