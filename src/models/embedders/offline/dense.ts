import { cjkGrams, type Unit } from "../text-analysis/analyze.js";
import { fnv1a32, fnv1a32Range } from "../text-analysis/hash.js";
import type { OfflineConfig } from "./config.js";

/**
 * Signed feature hashing of lexical features into a fixed-size vector. Without learned weights this is
 * a tf-only vector-space model; its value in hybrid search is the character n-grams, which match
 * inflections and typos that exact-term sparse matching misses.
 */
export type DenseEncoder = (units: Unit[]) => number[];

/** A word's precomputed slots: its own feature plus its character n-grams, as (slot, signed weight). */
interface TermSlots {
  slots: Int32Array;
  weights: Float64Array;
  /** FNV state after hashing "p" + term + " ": continued with the next term, the word-pair feature. */
  pairSeed: number;
}

const TERM_CACHE_MAX = 100_000;
/** FNV state after "g": a character n-gram's hash is fnv1a32("g" + gram). */
const GRAM_SEED = fnv1a32("g");

export function createDenseEncoder(cfg: OfflineConfig): DenseEncoder {
  const d = cfg.dense;
  const dim = cfg.dimension;
  const cache = new Map<string, TermSlots>();
  // The top bit of the hash picks the sign so colliding features cancel on average instead of piling up.
  const slotOf = (h: number) => h % dim;
  const signOf = (h: number) => (h & 0x80000000 ? -1 : 1);

  const termSlots = (term: string): TermSlots => {
    let t = cache.get(term);
    if (t) return t;
    const slots: number[] = [];
    const weights: number[] = [];
    const push = (h: number, w: number) => {
      if (w <= 0) return;
      slots.push(slotOf(h));
      weights.push(signOf(h) * w);
    };
    push(fnv1a32("w" + term), d.word * lengthWeight(term, d.lengthBoost));
    const marked = "<" + term + ">";
    const count = marked.length - d.charGramSize + 1;
    // Each word's n-grams share one unit of weight so long words do not drown short ones; a word too
    // short for two n-grams is already covered by its word feature.
    if (d.charGram > 0 && count > 1) {
      const w = d.charGram / Math.sqrt(count);
      for (let i = 0; i < count; i++) push(fnv1a32Range(marked, i, i + d.charGramSize, GRAM_SEED), w);
    }
    t = {
      slots: Int32Array.from(slots),
      weights: Float64Array.from(weights),
      pairSeed: fnv1a32(" ", fnv1a32("p" + term)),
    };
    if (cache.size >= TERM_CACHE_MAX) cache.clear();
    cache.set(term, t);
    return t;
  };

  // Runs for every chunk ingested, so it allocates little: no per-feature objects or strings (garbage
  // collection here slows the PDF extraction thread running beside it).
  return (units) => {
    const vec = new Float64Array(dim);
    const terms = new Map<string, number>();
    /** Hashed features (pairs, CJK n-grams) -> tf, in first-seen order; their weight alongside. */
    const hashedTf = new Map<number, number>();
    const hashedWeight = new Map<number, number>();
    const addHashed = (h: number, weight: number) => {
      if (weight <= 0) return;
      const tf = hashedTf.get(h);
      if (tf !== undefined) hashedTf.set(h, tf + 1);
      else {
        hashedTf.set(h, 1);
        hashedWeight.set(h, weight);
      }
    };
    let prev: TermSlots | null = null;
    for (const u of units) {
      if (u.kind === "cjk") {
        prev = null;
        const chars = Array.from(u.text);
        if (chars.length > 1)
          for (const g of cjkGrams(u.text, false)) addHashed(fnv1a32("c" + g), d.cjkBigram);
        for (const c of chars) addHashed(fnv1a32("u" + c), chars.length === 1 ? d.cjkBigram : d.cjkUnigram);
        continue;
      }
      terms.set(u.term, (terms.get(u.term) ?? 0) + 1);
      const cur = termSlots(u.term);
      if (prev !== null) addHashed(fnv1a32(u.term, prev.pairSeed), d.wordBigram);
      prev = cur;
    }
    // Sublinear tf: a word said five times is not five times as relevant.
    terms.forEach((tf, term) => {
      const t = termSlots(term);
      const scale = 1 + Math.log(tf);
      for (let i = 0; i < t.slots.length; i++) vec[t.slots[i]!]! += t.weights[i]! * scale;
    });
    hashedTf.forEach((tf, h) => {
      vec[slotOf(h)]! += signOf(h) * hashedWeight.get(h)! * (1 + Math.log(tf));
    });
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += vec[i]! * vec[i]!;
    norm = Math.sqrt(norm);
    // An empty text (only punctuation or stop words) stays the zero vector rather than NaN.
    // A plain loop: Array.from over a typed array goes through the iterator, one result object per value.
    const out = new Array<number>(dim);
    for (let i = 0; i < dim; i++) out[i] = norm > 0 ? vec[i]! / norm : 0;
    return out;
  };
}

/**
 * Longer words tend to be rarer and more topical (Zipf), a corpus-free stand-in for idf:
 * weight grows with log length when `boost` > 0.
 */
function lengthWeight(term: string, boost: number): number {
  return boost > 0 ? 1 + boost * Math.log(Math.max(1, term.length - 2)) : 1;
}
