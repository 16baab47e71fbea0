import type { Embedder, EmbedResult, QueryEmbedding } from "../../types.js";
import { chunkIndexText } from "../index-text.js";
import { analyze } from "../text-analysis/analyze.js";
import { fnv1a32 } from "../text-analysis/hash.js";
import { DEFAULT_OFFLINE_CONFIG, type OfflineConfig } from "./config.js";
import { createDenseEncoder } from "./dense.js";
import { OFFLINE_FUSION } from "./policy.js";
import { documentSparse, querySparse } from "./sparse.js";

export { chunkIndexText } from "../index-text.js";
export { DEFAULT_OFFLINE_CONFIG, type OfflineConfig } from "./config.js";
export { OFFLINE_FUSION } from "./policy.js";

/** Bumped whenever tokenisation, hashing or weighting changes in a way that invalidates stored vectors. */
const FEATURE_VERSION = "v1";

export interface OfflineEmbedderOptions {
  dimension?: number;
  /** For tuning and tests only: overrides change the id, so vectors never mix across settings. */
  config?: Partial<Omit<OfflineConfig, "dimension">>;
}

/**
 * A deterministic embedder that needs no model weights: BM25-style sparse vectors (the engine adds
 * idf) and hashed lexical dense vectors. Meant for self-hosting without an embedding API.
 */
export function createOfflineEmbedder(opts: OfflineEmbedderOptions = {}): Embedder {
  const dimension = opts.dimension ?? DEFAULT_OFFLINE_CONFIG.dimension;
  if (!Number.isInteger(dimension) || dimension < 8 || dimension > 65536) {
    throw new Error(`offline embedder: dimension must be an integer in 8..65536, got ${dimension}`);
  }
  const cfg: OfflineConfig = { ...DEFAULT_OFFLINE_CONFIG, ...opts.config, dimension };
  const overridden = opts.config !== undefined && Object.keys(opts.config).length > 0;
  const suffix = overridden ? `-x${fnv1a32(JSON.stringify(cfg)).toString(16)}` : "";
  const id = `offline-hash-${FEATURE_VERSION}-${dimension}${suffix}`;

  const denseVector = createDenseEncoder(cfg);

  return {
    id,
    dimension,
    fusion: { ...OFFLINE_FUSION },
    indexText: chunkIndexText,
    async embedDocuments(texts, embedOpts): Promise<EmbedResult> {
      const dense: number[][] = [];
      const sparse: EmbedResult["sparse"] = [];
      for (const text of texts) {
        embedOpts?.signal?.throwIfAborted();
        const units = analyze(text, cfg);
        dense.push(denseVector(units));
        sparse.push(documentSparse(units, cfg));
      }
      return { dense, sparse, tokens: 0, costMicros: 0 };
    },
    async embedQuery(text, embedOpts): Promise<QueryEmbedding> {
      embedOpts?.signal?.throwIfAborted();
      const units = analyze(text, cfg);
      return { dense: denseVector(units), sparse: querySparse(units, cfg), tokens: 0, costMicros: 0 };
    },
  };
}
