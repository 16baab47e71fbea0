import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * One schema for PGlite and PostgreSQL. Ids are typed prefixes with a time-ordered body (see ids.ts),
 * so ordering by id is ordering by creation and serves as a stable paging cursor.
 * Money is integer micro-dollars (bigint), timestamps are UTC (timestamptz).
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const created = () => ts("created_at").notNull().defaultNow();
const micros = (name: string) => bigint(name, { mode: "number" });

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  monthlyBudgetMicros: micros("monthly_budget_micros"),
  createdAt: created(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    /** Null only for platform admin keys, which manage tenants and own no data. */
    tenantId: text("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Visible, non-secret start of the key, shown in listings so users can tell keys apart. */
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    scopes: text("scopes").array().notNull(),
    /** When set, the key may only see these knowledge bases. */
    kbIds: text("kb_ids").array(),
    monthlyBudgetMicros: micros("monthly_budget_micros"),
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    createdAt: created(),
  },
  (t) => [uniqueIndex("api_keys_hash_idx").on(t.hash), index("api_keys_tenant_idx").on(t.tenantId)],
);

export const knowledgeBases = pgTable(
  "knowledge_bases",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    language: text("language").notNull().default("auto"),
    chunkSize: integer("chunk_size").notNull(),
    chunkOverlap: integer("chunk_overlap").notNull(),
    promptTemplate: text("prompt_template").notNull().default("qa"),
    createdAt: created(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("kb_tenant_idx").on(t.tenantId, t.id)],
);

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
  },
  (t) => [
    index("versions_doc_idx").on(t.documentId),
    index("versions_kb_sha_idx").on(t.kbId, t.sha256),
    index("versions_status_idx").on(t.status),
    // Searches exclude unready versions on every query; only those rows are indexed here.
    index("versions_unready_idx").on(t.tenantId, t.kbId).where(sql`${t.status} <> 'ready'`),
  ],
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

export const usageLedger = pgTable(
  "usage_ledger",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id"),
    requestId: text("request_id"),
    /** chat | embedding */
    kind: text("kind").notNull(),
    kbIds: text("kb_ids").array().notNull().default([]),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    embeddingTokens: integer("embedding_tokens").notNull().default(0),
    costMicros: micros("cost_micros").notNull().default(0),
    /** provider | estimated */
    usageSource: text("usage_source").notNull(),
    latencyMs: integer("latency_ms"),
    ttftMs: integer("ttft_ms"),
    /** ok | failed | aborted | cut_off */
    status: text("status").notNull(),
    errorCode: text("error_code"),
    /**
     * Set only when the provider reported more output tokens than the call's max_tokens: what it
     * reported. outputTokens (and the cost) are capped at max_tokens; this flags the discrepancy (issue 10).
     */
    reportedOutputTokens: integer("reported_output_tokens"),
    /** How much the call cost beyond what was reserved for it (prompt undercounted): budget overshoot (issue 10). */
    overReservationMicros: micros("over_reservation_micros").notNull().default(0),
    createdAt: created(),
  },
  (t) => [index("ledger_tenant_time_idx").on(t.tenantId, t.createdAt), index("ledger_key_idx").on(t.keyId)],
);

/** Money held for calls in flight, so concurrent calls cannot overspend a budget together. */
export const budgetReservations = pgTable(
  "budget_reservations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id"),
    amountMicros: micros("amount_micros").notNull(),
    createdAt: created(),
  },
  (t) => [index("reservations_tenant_idx").on(t.tenantId)],
);

/** Append-only: the migration installs a trigger that rejects UPDATE and DELETE. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id"),
    actorKeyId: text("actor_key_id"),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id").notNull(),
    /** Knowledge bases the entry is about; a key restricted to some sees only entries within them (issue 10). */
    kbIds: text("kb_ids").array().notNull().default([]),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    createdAt: created(),
  },
  (t) => [index("audit_tenant_idx").on(t.tenantId, t.id)],
);

export const evalQuestions = pgTable(
  "eval_questions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    expected: jsonb("expected").$type<{ documentId: string; pages?: number[] }[]>().notNull(),
    createdAt: created(),
  },
  (t) => [index("eval_q_kb_idx").on(t.kbId)],
);

export const evalRuns = pgTable(
  "eval_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    mode: text("mode").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull(),
    misses: jsonb("misses").$type<unknown[]>().notNull(),
    questions: integer("questions").notNull(),
    createdAt: created(),
  },
  (t) => [index("eval_runs_kb_idx").on(t.kbId, t.id)],
);

/** Marks rows kept for compatibility checks; unused columns stay typed. */
