import { stemmer } from "stemmer";
import { foldChineseScript } from "./script-fold.js";
import { ENGLISH_STOP_WORDS } from "./stop-words.js";
import { type Segment, segment } from "./tokenize.js";

/**
 * A unit is one searchable piece of text in reading order: a stemmed word, or a CJK run (kept whole so
 * callers can cut it into n-grams). Stop words are gone; word order is kept for phrase features.
 * A CJK run's text is folded to Simplified script; `unfolded` keeps the original when folding changed it.
 */
export type Unit = { kind: "word"; term: string } | { kind: "cjk"; text: string; unfolded?: string };

export interface AnalyzeOptions {
  /** Fold Traditional Chinese characters to Simplified (default true). */
  foldScript?: boolean;
}

const PLAIN_LATIN = /^[a-z]+$/;

// Stemming dominates analysis time and vocabularies repeat heavily, so stems are memoised (bounded).
const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** Porter stemming only makes sense for plain ASCII words; other scripts and alphanumerics stay as they are. */
export function normalizeWord(word: string): string | null {
  if (ENGLISH_STOP_WORDS.has(word)) return null;
  if (word.length <= 2 || !PLAIN_LATIN.test(word)) return word;
  let stem = stemCache.get(word);
  if (stem === undefined) {
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stem = stemmer(word);
    stemCache.set(word, stem);
  }
  return stem;
}

export function analyze(text: string, opts: AnalyzeOptions = {}): Unit[] {
  return unitsOf(segment(text), opts.foldScript !== false);
}

function unitsOf(segments: Segment[], fold: boolean): Unit[] {
  const units: Unit[] = [];
  for (const s of segments) {
    if (s.kind === "cjk") {
      const folded = fold ? foldChineseScript(s.text) : s.text;
      units.push(
        folded === s.text ? { kind: "cjk", text: s.text } : { kind: "cjk", text: folded, unfolded: s.text },
      );
      continue;
    }
    const term = normalizeWord(s.text);
    if (term !== null) units.push({ kind: "word", term });
  }
  return units;
}

/**
 * Overlapping character bigrams of a CJK run (a lone character yields itself), optionally with every
 * character as a unigram too: bigrams carry most of the precision, unigrams rescue words that were
 * split differently in the query and the document.
 */
export function cjkGrams(run: string, unigrams: boolean): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  if (unigrams) for (const c of chars) out.push(c);
  return out;
}

export interface TermOptions {
  cjkUnigrams: boolean;
}

/** The sparse (lexical) terms of a text: stems, numbers and CJK n-grams, with repeats. */
export function sparseTerms(units: Unit[], opts: TermOptions): string[] {
  const out: string[] = [];
  for (const u of units) {
    if (u.kind === "word") out.push(u.term);
    else for (const g of cjkGrams(u.text, opts.cjkUnigrams)) out.push(g);
  }
  return out;
}
