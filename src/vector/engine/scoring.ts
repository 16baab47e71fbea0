/** Scoring arithmetic shared by the search paths; pure so it can be checked against hand-computed values. */

/** Scales to unit length in place (Qdrant stores Cosine vectors normalized); zero vectors stay zero. */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum === 0) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  return v;
}

/** Dot product of `q` with the vector stored at row `row` of a flat matrix. */
export function dotAt(q: Float32Array, data: Float32Array, row: number): number {
  const dim = q.length;
  const base = row * dim;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  // Four accumulators let V8 overlap the multiply-adds; noticeably faster than one running sum.
  for (; i + 3 < dim; i += 4) {
    s0 += q[i]! * data[base + i]!;
    s1 += q[i + 1]! * data[base + i + 1]!;
    s2 += q[i + 2]! * data[base + i + 2]!;
    s3 += q[i + 3]! * data[base + i + 3]!;
  }
  for (; i < dim; i++) s0 += q[i]! * data[base + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Qdrant's sparse `idf` modifier: idf(t) = ln((N - n(t) + 0.5) / (n(t) + 0.5) + 1), with N the number of
 * points holding the sparse vector and n(t) those with a nonzero weight for term t. Applied to query weights.
 */
export function idf(totalPoints: number, docFreq: number): number {
  return Math.log((totalPoints - docFreq + 0.5) / (docFreq + 0.5) + 1);
}

/** Qdrant's default RRF constant (lib/segment reciprocal_rank_fusion: DEFAULT_RRF_K = 2). */
export const DEFAULT_RRF_K = 2;

/**
 * Reciprocal-rank contribution of a 0-based position, Qdrant's formula: 1 / ((pos + 1) / weight + k - 1).
 * With weight 1 that is 1 / (pos + k), i.e. 1 / (rank + k - 1) for a 1-based rank.
 */
export function rrfPositionScore(position: number, k: number, weight = 1): number {
  if (weight <= 0) return 0;
  return 1 / ((position + 1) / weight + k - 1);
}

/** Fuses ranked id lists (best first) into [id, score] sorted by fused score, best first. */
export function rrfFuse<T>(lists: T[][], k = DEFAULT_RRF_K, weights?: number[]): [T, number][] {
  const scores = new Map<T, number>();
  lists.forEach((list, li) => {
    const w = weights?.[li] ?? 1;
    list.forEach((id, pos) => {
      scores.set(id, (scores.get(id) ?? 0) + rrfPositionScore(pos, k, w));
    });
  });
  return [...scores.entries()].sort((a, b) => b[1] - a[1]);
}

/** Keeps the `k` highest-scoring items seen; a binary min-heap over parallel arrays. */
export class TopK<T> {
  private readonly scores: number[] = [];
  private readonly items: T[] = [];
  constructor(private readonly k: number) {}

  /** The score an item must beat to enter (−Infinity until the heap is full). */
  get floor(): number {
    return this.scores.length < this.k ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  push(item: T, score: number): void {
    if (this.k <= 0) return;
    if (this.scores.length < this.k) {
      this.scores.push(score);
      this.items.push(item);
      this.siftUp(this.scores.length - 1);
    } else if (score > this.scores[0]!) {
      this.scores[0] = score;
      this.items[0] = item;
      this.siftDown(0);
    }
  }

  /** Items best first. */
  sorted(): { item: T; score: number }[] {
    return this.items.map((item, i) => ({ item, score: this.scores[i]! })).sort((a, b) => b.score - a.score);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent]! <= this.scores[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l]! < this.scores[m]!) m = l;
      if (r < n && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    // Plain temporaries: destructuring swaps allocate on a path taken thousands of times per query.
    const score = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = score;
    const item = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = item;
  }
}
