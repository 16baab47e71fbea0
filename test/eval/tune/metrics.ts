/** Standard ranking metrics over ranked doc-id lists (binary or graded relevance). */
export interface Metrics {
  ndcg10: number;
  r1: number;
  r5: number;
  r10: number;
  r100: number;
  mrr10: number;
}

export function evaluateRankings(
  rankings: Map<string, string[]>,
  qrels: Map<string, Map<string, number>>,
): Metrics {
  const sum: Metrics = { ndcg10: 0, r1: 0, r5: 0, r10: 0, r100: 0, mrr10: 0 };
  let n = 0;
  for (const [qid, rel] of qrels) {
    const ranked = rankings.get(qid) ?? [];
    n++;
    let dcg = 0;
    for (let i = 0; i < Math.min(10, ranked.length); i++) {
      const g = rel.get(ranked[i]!) ?? 0;
      if (g > 0) dcg += (2 ** g - 1) / Math.log2(i + 2);
    }
    const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, 10);
    const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
    sum.ndcg10 += idcg > 0 ? dcg / idcg : 0;
    const recallAt = (k: number) => ranked.slice(0, k).filter((d) => rel.has(d)).length / rel.size;
    sum.r1 += recallAt(1);
    sum.r5 += recallAt(5);
    sum.r10 += recallAt(10);
    sum.r100 += recallAt(100);
    const first = ranked.slice(0, 10).findIndex((d) => rel.has(d));
    sum.mrr10 += first >= 0 ? 1 / (first + 1) : 0;
  }
  const out = { ...sum };
  for (const k of Object.keys(out) as (keyof Metrics)[]) out[k] = n ? sum[k] / n : 0;
  return out;
}
