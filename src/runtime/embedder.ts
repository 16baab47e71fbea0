import type { Config } from "../config.js";
import { builtinCatalog, catalogPrice, findCatalogEntry } from "../models/catalog/index.js";
import { FREE } from "../models/cost.js";
import { createOfflineEmbedder, DEFAULT_OFFLINE_CONFIG } from "../models/embedders/offline/index.js";
import { documentSparse } from "../models/embedders/offline/sparse.js";
import { createOpenAIEmbedder } from "../models/embedders/openai/index.js";
import { analyze } from "../models/embedders/text-analysis/analyze.js";
import type { Embedder } from "../models/types.js";

/**
 * EMBEDDINGS_BASE_URL + EMBEDDINGS_MODEL select an OpenAI-compatible embeddings API (dense vectors
 * of EMBEDDING_DIMENSION; sparse vectors still come from the offline BM25 encoder, so hybrid search
 * works the same). Otherwise the offline embedder: no model weights, no network.
 */
export function createConfiguredEmbedder(config: Config): Embedder {
  if (!config.EMBEDDINGS_BASE_URL || !config.EMBEDDINGS_MODEL) {
    return createOfflineEmbedder({ dimension: config.EMBEDDING_DIMENSION });
  }
  const entry = findCatalogEntry(builtinCatalog, config.EMBEDDINGS_MODEL);
  const sparseConfig = { ...DEFAULT_OFFLINE_CONFIG, dimension: config.EMBEDDING_DIMENSION };
  return createOpenAIEmbedder({
    baseURL: config.EMBEDDINGS_BASE_URL,
    // Local servers (Ollama, TEI) need no key, but the client insists on one.
    apiKey: config.EMBEDDINGS_API_KEY ?? "none",
    model: config.EMBEDDINGS_MODEL,
    dimension: config.EMBEDDING_DIMENSION,
    price: entry ? catalogPrice(entry) : FREE,
    sparseEncoder: (text) => documentSparse(analyze(text), sparseConfig),
  });
}
