import type { BlobStore } from "../../src/blobs/types.js";
import type { Logger } from "../../src/context.js";
import type { Database, Db } from "../../src/db/client.js";
import type { Embedder } from "../../src/models/types.js";
import type { VectorCollections } from "../../src/vector/collections.js";
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
  /** Many documents' embedding in one statement (the batch path); same rows as one call each. */
  recordEmbeddings(tx: Db, usages: EmbeddingUsage[]): Promise<void>;
}

/** A page of text as plugins exchange it (1-based page numbers). */
export interface PluginPage {
  page: number;
  text: string;
}

/**
 * The organization's enabled plugins, as ingestion uses them (issue 19): loaders read formats the host
 * does not, text filters (PII redaction) rewrite every document's pages before chunking. Composed from
 * src/services/plugins at the entry, so ingest/ never imports the verbs. Calls run in the plugin's
 * sandbox; a failure throws an error whose `code` is the plugin's (`plugin_timeout`, ...).
 */
export interface IngestPlugins {
  /** Runs the enabled loader `loaderId` of the organization on a file. */
  load(
    tenantId: string,
    loaderId: string,
    file: { bytes: Uint8Array; mediaType: string; filename: string },
  ): Promise<{ pages: PluginPage[]; title?: string }>;
  /** An enabled loader claiming this file (a scanned PDF the host found no text in), or null. */
  loaderFor(tenantId: string, file: { filename: string; mediaType: string }): Promise<string | null>;
  /** Whether the organization has text filters enabled (its documents then take the single path). */
  hasTextFilters(tenantId: string): Promise<boolean>;
  /** The pages through every enabled text filter, in id order. */
  filter(tenantId: string, kbId: string, pages: PluginPage[]): Promise<PluginPage[]>;
  /**
   * Dense vectors from the organization's enabled embedder plugin `pluginId`, checked (one finite
   * vector per text, one dimension, `expectedDimension` when given; else plugin_bad_output); null
   * when the organization no longer has it enabled.
   */
  embed(
    tenantId: string,
    pluginId: string,
    texts: string[],
    expectedDimension: number | null,
  ): Promise<number[][] | null>;
}

/** What the ingestion pipeline needs; the API runtime and the worker both provide it. */
export interface PipelineDeps {
  database: Database;
  vectors: VectorIndex;
  /** The collections of knowledge bases embedded by a plugin (one per plugin and dimension). */
  collections?: VectorCollections;
  /** Embeds chunks, and says what text to embed for each (Embedder.indexText). */
  embedder: Embedder;
  blobs: BlobStore;
  logger: Logger;
  usage: UsageLedger;
  /** Page count, time and memory limits of parsing one document; DEFAULT_PARSE_LIMITS when unset. */
  parseLimits?: ParseLimits;
  /** Loader and text-filter plugins; without it, documents are read by the built-in parsers only. */
  plugins?: IngestPlugins;
}

/** Chunks embedded and upserted per step; progress is saved after each, so a retry resumes there. */
export const EMBED_BATCH = 64;
/** Chunk rows per INSERT statement. */
export const CHUNK_INSERT_BATCH = 200;
