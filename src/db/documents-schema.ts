import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { created, ts } from "./columns.js";
import { knowledgeBases } from "./tenancy-schema.js";

/** Documents, their versions, chunks, extracted text and (with DATABASE_URL) upload bytes. */
export const documents = pgTable(
  "documents",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    title: text("title").notNull(),
    filename: text("filename").notNull(),
    metadata: jsonb("metadata").$type<Record<string, string | number | boolean>>().notNull().default({}),
    /** The version searches see; null until the first version is ready. */
    activeVersionId: text("active_version_id"),
    /** The newest version (may still be processing). */
    latestVersionId: text("latest_version_id"),
    createdAt: created(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("documents_kb_idx").on(t.tenantId, t.kbId, t.id),
    uniqueIndex("documents_external_idx").on(t.kbId, t.externalId).where(sql`${t.externalId} is not null`),
  ],
);

export const documentVersions = pgTable(
  "document_versions",
  {
    id: text("id").primaryKey(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id").notNull(),
    sha256: text("sha256").notNull(),
    format: text("format").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    blobKey: text("blob_key").notNull(),
    /** queued | processing | ready | failed | superseded */
    status: text("status").notNull(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    pages: integer("pages"),
    pagesParsed: integer("pages_parsed").notNull().default(0),
    chunks: integer("chunks"),
    chunksEmbedded: integer("chunks_embedded").notNull().default(0),
    chunksIndexed: integer("chunks_indexed").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    embeddingTokens: integer("embedding_tokens").notNull().default(0),
    timings: jsonb("timings").$type<Record<string, number>>().notNull().default({}),
    createdAt: created(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    /** The Content-Type given at upload: its charset outranks an HTML page's own <meta> (issue 11). */
    contentType: text("content_type"),
    /** Moves with every progress or status write, so clients can tell a stalled document (issue 11). */
    updatedAt: ts("updated_at"),
    /** The bulk import that created this version (issue 18), with its line or archive entry. */
    batchId: text("batch_id"),
    batchLine: integer("batch_line"),
    batchEntry: text("batch_entry"),
  },
  (t) => [
    index("versions_doc_idx").on(t.documentId),
    index("versions_kb_sha_idx").on(t.kbId, t.sha256),
    index("versions_status_idx").on(t.status),
    // Searches exclude unready versions on every query; only those rows are indexed here.
    index("versions_unready_idx").on(t.tenantId, t.kbId).where(sql`${t.status} <> 'ready'`),
    index("versions_batch_idx").on(t.batchId, t.status).where(sql`${t.batchId} is not null`),
  ],
);

/**
 * One bulk import (issue 18): what reading it found (lines or archive entries, new, deduplicated,
 * refused with why); the documents' progress is read from their versions (batch_id).
 */
export const importBatches = pgTable(
  "import_batches",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    keyId: text("key_id"),
    /** jsonl | zip */
    source: text("source").notNull(),
    /** reading | read | aborted: whether every line or entry has been taken in. */
    state: text("state").notNull(),
    items: integer("items").notNull().default(0),
    accepted: integer("accepted").notNull().default(0),
    deduplicated: integer("deduplicated").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    /** Lines or entries refused while reading: { line?, entry?, code, message }, at most 1,000 kept. */
    errors: jsonb("errors")
      .$type<{ line?: number; entry?: string; code: string; message: string }[]>()
      .notNull()
      .default([]),
    createdAt: created(),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("import_batches_kb_idx").on(t.tenantId, t.kbId, t.id)],
);

/** Chunk text and positions, kept so citations resolve and a new embedder can re-index without re-parsing. */
export const chunks = pgTable(
  "chunks",
  {
    versionId: text("version_id")
      .notNull()
      .references(() => documentVersions.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    tenantId: text("tenant_id").notNull(),
    text: text("text").notNull(),
    charStart: integer("char_start").notNull(),
    charEnd: integer("char_end").notNull(),
    pageStart: integer("page_start"),
    pageEnd: integer("page_end"),
    headingPath: text("heading_path").array().notNull(),
    tokens: integer("tokens").notNull(),
  },
  (t) => [uniqueIndex("chunks_pk").on(t.versionId, t.ordinal)],
);

/** Original upload bytes when DATABASE_URL is set (workers on other machines read them from here). */
export const blobs = pgTable("blobs", {
  key: text("key").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  data: text("data_base64").notNull(),
  sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
  createdAt: created(),
});

/**
 * The whole extracted text of a version, as the chunker saw it (chunk offsets point into it), with its
 * page extents for paged formats. Written with the chunk count, so a ready version always has it.
 */
export const documentTexts = pgTable("document_texts", {
  versionId: text("version_id")
    .primaryKey()
    .references(() => documentVersions.id, { onDelete: "cascade" }),
  tenantId: text("tenant_id").notNull(),
  text: text("text").notNull(),
  /** Page n covers text[start, end); empty for unpaged formats. */
  pages: jsonb("pages").$type<{ number: number; start: number; end: number }[]>().notNull().default([]),
  createdAt: created(),
});
