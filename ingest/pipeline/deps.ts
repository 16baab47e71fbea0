import type { BlobStore } from "../../src/blobs/types.js";
import type { Logger } from "../../src/context.js";
import type { Database, Db } from "../../src/db/client.js";
import type { Embedder } from "../../src/models/types.js";
import type { VectorIndex } from "../../src/vector/types.js";
import type { ParseLimits } from "../parsers/limits.js";

/** What embedding one batch of a document's chunks used, to be billed. */
export interface EmbeddingUsage {
  tenantId: string;
  /** The key that uploaded the document (null: a session or a key since deleted). */
  keyId: string | null;
  kbId: string;
  model: string;
  tokens: number;
  costMicros: number;
}

/**
 * Where the pipeline bills embedding. `recordEmbedding` writes inside the transaction it is given, the one that
 * also saves the batch's progress, so a repeated batch is neither lost nor billed twice.
 */
export interface UsageLedger {
  recordEmbedding(tx: Db, usage: EmbeddingUsage): Promise<void>;
}

/** What the ingestion pipeline needs; the API runtime and the worker both provide it. */
export interface PipelineDeps {
  database: Database;
  vectors: VectorIndex;
  /** Embeds chunks, and says what text to embed for each (Embedder.indexText). */
  embedder: Embedder;
  blobs: BlobStore;
  logger: Logger;
  usage: UsageLedger;
  /** Page count, time and memory limits of parsing one document; DEFAULT_PARSE_LIMITS when unset. */
  parseLimits?: ParseLimits;
}

/** Chunks embedded and upserted per step; progress is saved after each, so a retry resumes there. */
export const EMBED_BATCH = 64;
/** Chunk rows per INSERT statement. */
export const CHUNK_INSERT_BATCH = 200;
