/**
 * Lexical profiles for template recommendations: Latin words (lower-cased, stop words dropped) and
 * Han bigrams, so English and Chinese documents both yield comparable terms without a tokenizer.
 */
const STOP = new Set(
  "the and for are with you your our that this from have has was were will can not but all any its into than then them they their there when what which who how may must also more each per use used one two".split(
    " ",
  ),
);

export type TermVector = Map<string, number>;

export function termCounts(text: string, weight = 1, into: TermVector = new Map()): TermVector {
  const add = (t: string) => into.set(t, (into.get(t) ?? 0) + weight);
  for (const w of text.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) ?? []) if (!STOP.has(w)) add(w);
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) add(run);
    for (let i = 0; i + 1 < run.length; i++) add(run.slice(i, i + 2));
  }
  return into;
}

/** Inverse document frequency of each term over the profiles (smoothed, never negative). */
export function inverseFrequencies(profiles: TermVector[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const p of profiles) for (const t of p.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = profiles.length;
  return new Map([...df].map(([t, d]) => [t, Math.log(1 + n / d)]));
}

/** Cosine of the two tf-idf vectors (log-scaled counts), with the terms that contributed most. */
export function similarity(
  a: TermVector,
  b: TermVector,
  idf: Map<string, number>,
): { score: number; terms: string[] } {
  const w = (v: TermVector, t: string) => (1 + Math.log(v.get(t)!)) * (idf.get(t) ?? 0);
  let dot = 0;
  const parts: [string, number][] = [];
  for (const t of a.keys()) {
    if (!b.has(t)) continue;
    const x = w(a, t) * w(b, t);
    dot += x;
    parts.push([t, x]);
  }
  const norm = (v: TermVector) => Math.sqrt([...v.keys()].reduce((s, t) => s + w(v, t) ** 2, 0));
  const denominator = norm(a) * norm(b);
  return {
    score: denominator > 0 ? dot / denominator : 0,
    terms: parts
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([t]) => t),
  };
}
