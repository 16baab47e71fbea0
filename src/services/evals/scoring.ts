import type { ExpectedDocument } from "./questions.js";

/** What a search returned, in order: only what scoring needs. */
export interface RetrievedChunk {
  documentId: string;
  pageStart: number | null;
  pageEnd: number | null;
}

export interface RetrievalMetrics {
  recall_at_1: number;
  recall_at_5: number;
  recall_at_10: number;
  mrr_at_10: number;
  ndcg_at_10: number;
}

export interface QuestionScore extends RetrievalMetrics {
  /** Per expected entry: 1-based rank of the result that found it, or null when none did. */
  ranks: (number | null)[];
}

/**
 * Ranks are counted over distinct results: distinct documents when the question names documents only
 * (several chunks of one document are one result), distinct (document, page range) chunks when any
 * expected entry gives pages. An entry with pages is found by a chunk of its document on one of them.
 * A result that finds a not-yet-found entry is relevant (gain 1), so duplicates earn nothing twice.
 */
export function scoreQuestion(expected: ExpectedDocument[], retrieved: RetrievedChunk[]): QuestionScore {
  const pageLevel = expected.some((e) => e.pages?.length);
  const units: RetrievedChunk[] = [];
  const seen = new Set<string>();
  for (const c of retrieved) {
    const key = pageLevel ? `${c.documentId}:${c.pageStart}-${c.pageEnd}` : c.documentId;
    if (seen.has(key)) continue;
    seen.add(key);
    units.push(c);
  }
  const ranks: (number | null)[] = expected.map(() => null);
  const relevantRanks: number[] = [];
  units.forEach((unit, i) => {
    let found = false;
    expected.forEach((e, j) => {
      if (ranks[j] !== null || !matches(e, unit)) return;
      ranks[j] = i + 1;
      found = true;
    });
    if (found) relevantRanks.push(i + 1);
  });
  const recallAt = (k: number) =>
    expected.length ? ranks.filter((r) => r !== null && r <= k).length / expected.length : 0;
  const first = relevantRanks[0];
  const dcg = relevantRanks.filter((r) => r <= 10).reduce((s, r) => s + 1 / Math.log2(r + 1), 0);
  let idcg = 0;
  for (let r = 1; r <= Math.min(expected.length, 10); r++) idcg += 1 / Math.log2(r + 1);
  return {
    ranks,
    recall_at_1: recallAt(1),
    recall_at_5: recallAt(5),
    recall_at_10: recallAt(10),
    mrr_at_10: first !== undefined && first <= 10 ? 1 / first : 0,
    ndcg_at_10: idcg > 0 ? dcg / idcg : 0,
  };
}

function matches(e: ExpectedDocument, c: RetrievedChunk): boolean {
  if (c.documentId !== e.documentId) return false;
  if (!e.pages?.length) return true;
  if (c.pageStart === null) return false;
  const end = c.pageEnd ?? c.pageStart;
  return e.pages.some((p) => p >= c.pageStart! && p <= end);
}

/** Mean of each metric over questions (0 for an empty set). */
export function averageMetrics(scores: RetrievalMetrics[]): RetrievalMetrics {
  const keys = ["recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "ndcg_at_10"] as const;
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as unknown as RetrievalMetrics;
  if (scores.length === 0) return out;
  for (const k of keys) out[k] = Number((scores.reduce((s, x) => s + x[k], 0) / scores.length).toFixed(6));
  return out;
}
