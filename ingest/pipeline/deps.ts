import type { BlobStore } from "../../src/blobs/types.js";
import type { Logger } from "../../src/context.js";
import type { Database } from "../../src/db/client.js";
import type { Embedder } from "../../src/models/types.js";
import type { VectorIndex } from "../../src/vector/types.js";
import type { ParseLimits } from "../parsers/limits.js";

/** What the ingestion pipeline needs; the API runtime and the worker both provide it. */
export interface PipelineDeps {
  database: Database;
  vectors: VectorIndex;
  embedder: Embedder;
  blobs: BlobStore;
  logger: Logger;
  /** Page count, time and memory limits of parsing one document; DEFAULT_PARSE_LIMITS when unset. */
  parseLimits?: ParseLimits;
}

/** Chunks embedded and upserted per step; progress is saved after each, so a retry resumes there. */
export const EMBED_BATCH = 64;
/** Chunk rows per INSERT statement. */
export const CHUNK_INSERT_BATCH = 200;
