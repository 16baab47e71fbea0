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

/** Embeds the corpus and the queries and fetches `prefetch` candidates per vector kind. */
export async function retrieve(
  ds: EvalDataset,
  embedder: Embedder,
  policy: TitlePolicy,
  prefetch: number,
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
    sparse.push(index.searchSparse(qe.sparse, prefetch));
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
