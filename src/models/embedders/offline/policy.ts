/**
 * How the rest of the product should use the offline embedder's vectors. Measured with test/eval/tune;
 * numbers in test/eval/tune/README.md.
 */

/**
 * Query parameters for hybrid search with this embedder, in Qdrant's terms: each prefetch takes
 * max(prefetchLimit, limit + offset) candidates and fusion is
 * `{ rrf: { k, weights: [denseWeight, sparseWeight] } }` (prefetch order dense, sparse). Qdrant scores
 * 0-based position p as 1 / ((p + 1) / weight + k - 1).
 *
 * Why the dense list gets so little weight: hashed lexical vectors are far weaker than BM25 (SciFact
 * nDCG@10 0.47 vs 0.70), so equal-weight RRF loses 3-9 points of recall@1 on every test set. At
 * weight 0.1 with k = 2 dense only breaks ties and adds candidates sparse missed (recall@100 up,
 * top ranks unchanged). Large k is harmful with weights: at k = 60 every list looks flat.
 */
export const OFFLINE_FUSION = {
  k: 2,
  denseWeight: 0.1,
  sparseWeight: 1,
  prefetchLimit: 100,
} as const;
