import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import type { EvalDataset } from "./datasets.js";

const CJK_RUN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+/gu;

/** The bigram tokenizer a MiniSearch user would write for Chinese: overlapping pairs per CJK run. */
function cjkBigramTokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CJK_RUN)) {
    const c = Array.from(m[0]);
    if (c.length === 1) out.push(c[0]!);
    for (let i = 0; i + 1 < c.length; i++) out.push(c[i]! + c[i + 1]!);
  }
  for (const w of text.replace(CJK_RUN, " ").split(/[^\p{L}\p{N}]+/u)) if (w) out.push(w);
  return out;
}

/** Baseline: MiniSearch's own BM25+ with Porter stemming (English) or CJK bigrams (Chinese). */
export function miniSearchRankings(ds: EvalDataset, cjk: boolean, withTitle: boolean): Map<string, string[]> {
  const ms = new MiniSearch<{ id: string; title: string; text: string }>({
    fields: withTitle ? ["title", "text"] : ["text"],
    idField: "id",
    ...(cjk
      ? { tokenize: cjkBigramTokenize, processTerm: (t: string) => t.toLowerCase() }
      : { processTerm: (t: string) => stemmer(t.toLowerCase()) }),
  });
  ms.addAll(ds.docs);
  const out = new Map<string, string[]>();
  for (const q of ds.queries) {
    out.set(
      q.id,
      ms
        .search(q.text)
        .slice(0, 100)
        .map((r) => String(r.id)),
    );
  }
  return out;
}
