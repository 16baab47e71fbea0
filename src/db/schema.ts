import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

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
    /** The Content-Type given at upload: its charset outranks an HTML page's own <meta> (issue 11). */
    contentType: text("content_type"),
    /** Moves with every progress or status write, so clients can tell a stalled document (issue 11). */
    updatedAt: ts("updated_at"),
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
    /** What the customer is charged: costMicros × the plan's markup for the model (issue 16; 1.0 by default). */
    chargeMicros: micros("charge_micros").notNull().default(0),
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
    /**
     * The client's Idempotency-Key (issue 17): a retried ask carrying it is charged once per model; the
     * retry's row keeps its provider cost with a charge of 0 (services/budgets/settle.ts).
     */
    idempotencyKey: text("idempotency_key"),
    createdAt: created(),
  },
  (t) => [
    index("ledger_tenant_time_idx").on(t.tenantId, t.createdAt),
    index("ledger_key_idx").on(t.keyId),
    index("ledger_idempotency_idx").on(t.tenantId, t.idempotencyKey),
  ],
);

/** Money held for calls in flight, so concurrent calls cannot overspend a budget together. */
export const budgetReservations = pgTable(
  "budget_reservations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id"),
    amountMicros: micros("amount_micros").notNull(),
    /** Held against the prepaid wallet (a call past its plan's quota), not only against budgets. */
    wallet: boolean("wallet").notNull().default(false),
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
    /** The signed-in person (or the member whose key acted); null for platform keys and system actions. */
    actorUserId: text("actor_user_id"),
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

// ---- document text and endpoints (issue 11) ----

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
// ---- people: accounts, organizations, sessions, SSO (issue 12) ----

/** A person. `email` is stored normalized (trimmed, lowercased), so uniqueness is case-insensitive. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    /** `scrypt$logN$r$p$salt$hash`; null for people who only ever signed in through SSO. */
    passwordHash: text("password_hash"),
    emailVerifiedAt: ts("email_verified_at"),
    locale: text("locale").notNull().default("en"),
    platformAdmin: boolean("platform_admin").notNull().default(false),
    suspendedAt: ts("suspended_at"),
    /** Base32 TOTP secret; set at enrolment, active once totpEnabledAt is set. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: ts("totp_enabled_at"),
    /** Last accepted TOTP time step, so a code cannot be replayed inside its window. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    createdAt: created(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);

/** Membership of a person in an organization (a tenant) with one role. */
export const orgMembers = pgTable(
  "org_members",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** owner | admin | developer | viewer | billing (src/auth/roles.ts) */
    role: text("role").notNull(),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index("org_members_user_idx").on(t.userId)],
);

/** Browser sessions: the cookie holds an opaque token, only its sha256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The organization the session acts in (switchable); null when the person belongs to none. */
    tenantId: text("tenant_id"),
    /** Sent back in the X-CSRF-Token header on unsafe requests authenticated by this cookie. */
    csrfToken: text("csrf_token").notNull(),
    /** password | sso | invitation | reset */
    method: text("method").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: created(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("sessions_token_idx").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

/** One-time tokens (email verification, password reset, email change, second factor, OIDC state). */
export const authTokens = pgTable(
  "auth_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    /** verify_email | reset_password | change_email | mfa | oidc_state */
    purpose: text("purpose").notNull(),
    userId: text("user_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: created(),
  },
  (t) => [index("auth_tokens_user_idx").on(t.userId, t.purpose)],
);

/** One-time recovery codes for a person with TOTP; only hashes are stored. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    usedAt: ts("used_at"),
    createdAt: created(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by"),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    revokedAt: ts("revoked_at"),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("invitations_token_idx").on(t.tokenHash),
    index("invitations_tenant_idx").on(t.tenantId),
  ],
);

/** Failed sign-ins per account (normalized email, existing or not) and per client address. */
export const loginThrottles = pgTable("login_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: ts("locked_until"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Which member created an API key: the key's rights are capped by that member's role at every request. */
export const keyCreators = pgTable("key_creators", {
  keyId: text("key_id")
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: "cascade" }),
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
});

/** Organizations suspended by the platform administrator (a separate table keeps `tenants` unchanged). */
export const tenantSuspensions = pgTable("tenant_suspensions", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  reason: text("reason").notNull().default(""),
  createdAt: created(),
});

/** OpenID Connect single sign-on settings of one organization. */
export const ssoConfigs = pgTable("sso_configs", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecret: text("client_secret").notNull(),
  allowedDomains: text("allowed_domains").array().notNull(),
  defaultRole: text("default_role").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
// ---- OpenAI-compatible files and vector store file batches (issue 15) ----

/**
 * Files uploaded through OpenAI's `POST /v1/files`: the original bytes, not yet in any knowledge base.
 * Attaching one to a vector store (a knowledge base) uploads its bytes there as a document whose
 * external_id is the file id, so the two doors share one document model.
 */
export const openaiFiles = pgTable(
  "openai_files",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    filename: text("filename").notNull(),
    purpose: text("purpose").notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
    blobKey: text("blob_key").notNull(),
    createdAt: created(),
  },
  (t) => [index("openai_files_tenant_idx").on(t.tenantId, t.id)],
);

/** A batch of files attached to a vector store together; its status is derived from its documents. */
export const vectorStoreFileBatches = pgTable(
  "vector_store_file_batches",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    fileIds: jsonb("file_ids").$type<string[]>().notNull(),
    cancelledAt: ts("cancelled_at"),
    createdAt: created(),
  },
  (t) => [index("vs_file_batches_kb_idx").on(t.tenantId, t.kbId, t.id)],
);

// ---- conversations and embeds (issue 14) ----

/** A public chat bot on customers' websites: what it may read, where it may run, what it may spend. */
export const embeds = pgTable(
  "embeds",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kbIds: text("kb_ids").array().notNull(),
    models: text("models").array().notNull().default([]),
    promptTemplate: text("prompt_template").notNull().default("support-bot"),
    /** Exact origins ("https://shop.example.com") or host wildcards ("*.example.com", https only). */
    allowedOrigins: text("allowed_origins").array().notNull(),
    greeting: text("greeting").notNull().default(""),
    starterQuestions: text("starter_questions").array().notNull().default([]),
    theme: jsonb("theme").$type<Record<string, string>>().notNull().default({}),
    defaultLanguage: text("default_language"),
    maxMessagesPerConversation: integer("max_messages_per_conversation"),
    maxConversationsPerVisitorPerDay: integer("max_conversations_per_visitor_per_day"),
    maxMessagesPerDay: integer("max_messages_per_day"),
    monthlyBudgetMicros: micros("monthly_budget_micros"),
    signedVisitorsOnly: boolean("signed_visitors_only").notNull().default(false),
    /** HMAC key for visitor tokens; returned once at creation, kept because verifying needs it. */
    signingSecret: text("signing_secret").notNull(),
    createdAt: created(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("embeds_tenant_idx").on(t.tenantId, t.id)],
);

export const conversations = pgTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The API key that started it; null for conversations started through an embed. */
    keyId: text("key_id"),
    embedId: text("embed_id").references(() => embeds.id, { onDelete: "cascade" }),
    visitorId: text("visitor_id"),
    /** sha256 of the token a widget visitor presents to continue the conversation. */
    accessHash: text("access_hash"),
    kbIds: text("kb_ids").array().notNull(),
    models: text("models").array().notNull().default([]),
    promptTemplate: text("prompt_template"),
    messageCount: integer("message_count").notNull().default(0),
    costMicros: micros("cost_micros").notNull().default(0),
    createdAt: created(),
    lastMessageAt: ts("last_message_at").notNull().defaultNow(),
  },
  (t) => [
    index("conversations_tenant_idx").on(t.tenantId, t.id),
    index("conversations_embed_idx").on(t.embedId, t.visitorId, t.createdAt),
    index("conversations_last_idx").on(t.tenantId, t.lastMessageAt),
  ],
);

export const conversationMessages = pgTable(
  "conversation_messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    tenantId: text("tenant_id").notNull(),
    embedId: text("embed_id"),
    /** user | assistant */
    role: text("role").notNull(),
    content: text("content").notNull(),
    /** User turns: the standalone query retrieval used, and how it was made (none | offline | model). */
    query: text("query"),
    rewriteMethod: text("rewrite_method"),
    /** Assistant turns: the model, its status, the sources shown and the numbers cited. */
    model: text("model"),
    status: text("status"),
    sources: jsonb("sources").$type<unknown[]>(),
    citations: integer("citations").array(),
    costMicros: micros("cost_micros").notNull().default(0),
    /** 1 (up) or -1 (down), with an optional comment. */
    feedback: integer("feedback"),
    feedbackComment: text("feedback_comment"),
    createdAt: created(),
  },
  (t) => [
    index("conv_messages_conv_idx").on(t.conversationId, t.id),
    index("conv_messages_embed_idx").on(t.embedId, t.createdAt),
  ],
);

/** How long a tenant keeps conversations (by last message); absent = kept until deleted. */
export const conversationRetention = pgTable("conversation_retention", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  days: integer("days").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export * from "./billing-schema.js";
export * from "./ops-schema.js";
