import type { SparseVector } from "../../vector/types.js";
import { DEFAULT_OFFLINE_CONFIG } from "./offline/config.js";
import { documentSparse, querySparse } from "./offline/sparse.js";
import { analyze } from "./text-analysis/analyze.js";

/**
 * The lexical (BM25) side of hybrid search for vectors that come from elsewhere: embedder plugins
 * return dense vectors only, so their knowledge bases take the offline embedder's sparse encoder with
 * its default settings (the engine's idf modifier completes BM25 at query time). Documents and
 * queries must use the same encoder; both live here so they cannot drift apart.
 */
export const lexicalSparse = {
  document(text: string): SparseVector {
    return documentSparse(analyze(text, DEFAULT_OFFLINE_CONFIG), DEFAULT_OFFLINE_CONFIG);
  },
  query(text: string): SparseVector {
    return querySparse(analyze(text, DEFAULT_OFFLINE_CONFIG), DEFAULT_OFFLINE_CONFIG);
  },
};
