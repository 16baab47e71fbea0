/**
 * The query's terms found in a chunk: words (case-insensitive, 2+ letters) and, for Chinese,
 * Japanese and Korean, character pairs (the search index also matches CJK by bigrams).
 */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const w of query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(w)) {
      for (let i = 0; i + 1 < w.length; i++) terms.add(w.slice(i, i + 2));
    } else if (w.length >= 2) terms.add(w);
  }
  return [...terms];
}

export function matchedTerms(terms: string[], text: string): string[] {
  const lower = text.toLowerCase();
  return terms.filter((t) => lower.includes(t));
}

/** Splits text into plain and matched runs for <mark>, each with its offset as identity. */
export function highlight(text: string, terms: string[]): { at: number; text: string; hit: boolean }[] {
  if (!terms.length) return [{ at: 0, text, hit: false }];
  const escaped = terms
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .sort((a, b) => b.length - a.length);
  const re = new RegExp(`(${escaped.join("|")})`, "giu");
  let at = 0;
  return text.split(re).map((part, i) => {
    const run = { at, text: part, hit: i % 2 === 1 };
    at += part.length;
    return run;
  });
}
