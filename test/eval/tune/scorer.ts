import type { SparseVector } from "../../../src/vector/types.js";

/**
 * Brute-force stand-in for the vector engine, scoring the way Qdrant does: cosine on the dense
 * vectors, dot product on sparse vectors with the `idf` modifier computed over the collection, and
 * RRF fusion of the per-vector candidate lists.
 */
export class InMemoryIndex {
  private readonly dense: Float32Array;
  private readonly postings = new Map<number, { docs: number[]; weights: number[] }>();

  constructor(
    readonly dimension: number,
    denseDocs: number[][],
    sparseDocs: SparseVector[],
  ) {
    this.dense = new Float32Array(denseDocs.length * dimension);
    denseDocs.forEach((v, d) => {
      let norm = 0;
      for (const x of v) norm += x * x;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let i = 0; i < dimension; i++) this.dense[d * dimension + i] = v[i]! * inv;
    });
    sparseDocs.forEach((s, d) => {
      s.indices.forEach((idx, j) => {
        let p = this.postings.get(idx);
        if (!p) {
          p = { docs: [], weights: [] };
          this.postings.set(idx, p);
        }
        p.docs.push(d);
        p.weights.push(s.values[j]!);
      });
    });
    this.size = denseDocs.length;
  }

  readonly size: number;

  /** Qdrant's idf: ln(((N - n + 0.5) / (n + 0.5)) + 1). */
  idf(index: number): number {
    const n = this.postings.get(index)?.docs.length ?? 0;
    return Math.log((this.size - n + 0.5) / (n + 0.5) + 1);
  }

  searchDense(query: number[], limit: number): number[] {
    const dim = this.dimension;
    const q = new Float32Array(query);
    const scores = new Float32Array(this.size);
    for (let d = 0; d < this.size; d++) {
      let s = 0;
      const off = d * dim;
      for (let i = 0; i < dim; i++) s += this.dense[off + i]! * q[i]!;
      scores[d] = s;
    }
    return topK(scores, limit, false);
  }

  searchSparse(query: SparseVector, limit: number): number[] {
    const scores = new Float32Array(this.size);
    query.indices.forEach((idx, j) => {
      const p = this.postings.get(idx);
      if (!p) return;
      const w = query.values[j]! * this.idf(idx);
      for (let i = 0; i < p.docs.length; i++) scores[p.docs[i]!]! += w * p.weights[i]!;
    });
    return topK(scores, limit, true);
  }
}

/** Highest scores first; ties go to the lower doc index so runs are reproducible. */
function topK(scores: Float32Array, limit: number, positiveOnly: boolean): number[] {
  const idx: number[] = [];
  for (let d = 0; d < scores.length; d++) if (!positiveOnly || scores[d]! > 0) idx.push(d);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx.slice(0, limit);
}

/**
 * Qdrant's RRF (lib/segment/src/common/reciprocal_rank_fusion.rs): position p is 0-based and scores
 * 1 / ((p + 1) / weight + k - 1), i.e. 1 / (p + k) with weight 1; the default k is 2.
 */
export function rrfFuse(lists: number[][], k: number, weights?: number[]): number[] {
  const score = new Map<number, number>();
  lists.forEach((list, l) => {
    const w = weights?.[l] ?? 1;
    if (w <= 0) return;
    list.forEach((doc, p) => {
      score.set(doc, (score.get(doc) ?? 0) + 1 / ((p + 1) / w + k - 1));
    });
  });
  return [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || a - b);
}
