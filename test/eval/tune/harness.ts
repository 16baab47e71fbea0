import type { Embedder } from "../../../src/models/types.js";
import type { SparseVector } from "../../../src/vector/types.js";
import type { EvalDataset } from "./datasets.js";
import { evaluateRankings, type Metrics } from "./metrics.js";
import { InMemoryIndex, rrfFuse } from "./scorer.js";

export interface TitlePolicy {
  /** Prepend the document title to the indexed text (as the product does for chunks). */
  withTitle: boolean;
}

export interface Retrieved {
  ds: EvalDataset;
  /** Per query (in ds.queries order): dense and sparse candidate lists of doc positions. */
  dense: number[][];
  sparse: number[][];
  embedMs: number;
}

export function indexedText(title: string, text: string, policy: TitlePolicy): string {
  return policy.withTitle && title.trim() ? `${title.trim()}\n\n${text}` : text;
}

/**
 * Pseudo-relevance feedback (RM3-like, on the sparse side): the `terms` highest-scoring terms of the
 * top `docs` sparse hits (score = BM25 weight x idf, summed) join the query at `weight` times their
 * normalised score, and the sparse search runs again.
 */
export interface Prf {
  docs: number;
  terms: number;
  weight: number;
}

function expandQuery(q: SparseVector, top: number[], docs: SparseVector[], index: InMemoryIndex, prf: Prf) {
  const have = new Set(q.indices);
  const score = new Map<number, number>();
  for (const d of top.slice(0, prf.docs)) {
    const s = docs[d]!;
    s.indices.forEach((idx, j) => {
      if (!have.has(idx)) score.set(idx, (score.get(idx) ?? 0) + s.values[j]! * index.idf(idx));
    });
  }
  const best = [...score.entries()].sort((a, b) => b[1] - a[1]).slice(0, prf.terms);
  const max = best[0]?.[1] ?? 1;
  const weights = new Map(q.indices.map((i, j) => [i, q.values[j]!]));
  for (const [idx, s] of best) weights.set(idx, (prf.weight * s) / max);
  const indices = [...weights.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((i) => weights.get(i)!) };
}

/** Embeds the corpus and the queries and fetches `prefetch` candidates per vector kind. */
export async function retrieve(
  ds: EvalDataset,
  embedder: Embedder,
  policy: TitlePolicy,
  prefetch: number,
  prf?: Prf,
): Promise<Retrieved> {
  const t0 = performance.now();
  const docs = await embedder.embedDocuments(ds.docs.map((d) => indexedText(d.title, d.text, policy)));
  const embedMs = performance.now() - t0;
  const index = new InMemoryIndex(embedder.dimension, docs.dense, docs.sparse);
  const dense: number[][] = [];
  const sparse: number[][] = [];
  for (const q of ds.queries) {
    const qe = await embedder.embedQuery(q.text);
    dense.push(index.searchDense(qe.dense, prefetch));
    const first = index.searchSparse(qe.sparse, prefetch);
    sparse.push(
      prf && first.length > 0
        ? index.searchSparse(expandQuery(qe.sparse, first, docs.sparse, index, prf), prefetch)
        : first,
    );
  }
  return { ds, dense, sparse, embedMs };
}

/** Sparse-only retrieval for fast BM25 sweeps (no dense scoring). */
export async function retrieveSparse(
  ds: EvalDataset,
  embedder: Embedder,
  policy: TitlePolicy,
  prefetch: number,
): Promise<number[][]> {
  const docs = await embedder.embedDocuments(ds.docs.map((d) => indexedText(d.title, d.text, policy)));
  const empty: number[][] = docs.sparse.map(() => []);
  const index = new InMemoryIndex(0, empty, docs.sparse);
  const out: number[][] = [];
  for (const q of ds.queries)
    out.push(index.searchSparse((await embedder.embedQuery(q.text)).sparse, prefetch));
  return out;
}

export function score(ds: EvalDataset, lists: number[][]): Metrics {
  const rankings = new Map<string, string[]>();
  ds.queries.forEach((q, i) => {
    rankings.set(
      q.id,
      lists[i]!.map((d) => ds.docs[d]!.id),
    );
  });
  return evaluateRankings(rankings, ds.qrels);
}

export interface Fusion {
  k: number;
  denseWeight: number;
  sparseWeight: number;
}

export function fuse(r: Retrieved, f: Fusion, prefetch = Infinity): number[][] {
  return r.dense.map((d, i) =>
    rrfFuse([d.slice(0, prefetch), r.sparse[i]!.slice(0, prefetch)], f.k, [f.denseWeight, f.sparseWeight]),
  );
}

export type { SparseVector };
