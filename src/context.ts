import type { IngestQueue } from "../ingest/queue/types.js";
import type { Action, ApiScope, Role } from "./auth/roles.js";
import type { BackupSource } from "./backup/types.js";
import type { Payments } from "./billing/payments/types.js";
import type { BlobStore } from "./blobs/types.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import type { Mailer } from "./mail/types.js";
import type { ModelRegistry } from "./models/registry.js";
import type { Embedder } from "./models/types.js";
import type { RequestLog } from "./ops/request-log-types.js";
import type { PluginRuntime } from "./plugins/runtime.js";
import type { RateLimiter } from "./ratelimit/types.js";
import type { VectorCollections } from "./vector/collections.js";
import type { VectorIndex } from "./vector/types.js";

/** The subset of pino the app uses, so the edge entry can pass a console-backed logger. */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface ModelCallMetric {
  model: string;
  status: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** Time to the first token, when one came. */
  ttftMs: number | null;
}

/** Request metrics sink; prom-client in Node, absent on the edge. Observers never throw. */
export interface HttpMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** One model call as the ledger recorded it (every door: ask, conversations, OpenAI surface, widget). */
  observeModelCall?(call: ModelCallMetric): void;
  /** A request answered with an error body (quota, budget and rate-limit refusals among them). */
  observeError?(code: string, status: number): void;
  render(): Promise<{ contentType: string; body: string }>;
  /** Counts plugin installs by outcome (issue 19). */
  countPluginInstall?(outcome: "success" | "failure"): void;
  /** How long one step of a search took (every search and ask runs them): where a slow answer waited. */
  observeSearchStage?(stage: SearchStage, seconds: number): void;
}

/**
 * The steps of a search: reading the knowledge bases (with the query embedding beside it), the vector
 * query, and the whole search.
 */
export type SearchStage = "knowledge_bases" | "vector_query" | "search";

export type { ApiScope } from "./auth/roles.js";

/**
 * Who is calling, resolved by the auth middleware and nowhere else: from an API key (Bearer) or from a
 * browser session cookie. Both end up here, so every route works the same for keys and people.
 */
export interface AuthContext {
  /** The API key's id; for a browser session, the session id (ledger, budgets and rate limits key on it). */
  keyId: string;
  /** Null for platform admin keys. */
  tenantId: string | null;
  scopes: ApiScope[];
  /** When set, the key may only see these knowledge bases. */
  kbIds: string[] | null;
  platform: boolean;
  /** When the key stops working; a key it creates may not outlive it (src/auth/rights.ts). */
  expiresAt?: Date | null;
  /** The key's own requests-per-minute limit (null: RATE_LIMIT_PER_MINUTE), read with the key row. */
  rateLimitPerMinute?: number | null;
  /** What the caller may do (src/auth/roles.ts); when absent it follows from `scopes`. */
  actions?: ReadonlySet<Action>;
  /** The signed-in person, or the member who created the key. */
  userId?: string | null;
  /** The person's role in `tenantId` (sessions only). */
  role?: Role | null;
  /** Set when authenticated by session cookie. */
  sessionId?: string | null;
  /** A person who is platform administrator (manages organizations and users). */
  platformAdmin?: boolean;
  /** Why a session has no organization to act in (removed, suspended, none chosen). */
  noOrgReason?: string;
}

/** A tenant-bound caller: what every tenant-scoped service verb receives. */
export interface TenantAuth extends AuthContext {
  tenantId: string;
}

/** One built file of the web console, held in memory with its gzip form. */
export interface ConsoleAsset {
  body: Uint8Array;
  gzip: Uint8Array | null;
  type: string;
}

/** The web console's built files (src/console, built by Vite); absent where there is no build. */
export interface ConsoleAssets {
  /** The file at a URL path ("/index.html", "/assets/index-3f2a.js"), or null. */
  get(path: string): Promise<ConsoleAsset | null>;
}

/** Everything the app is built from; entries compose it, tests construct it directly. */
export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  metrics?: HttpMetrics;
  /** Every answered /v1 request, batched into the database for GET /v1/sla (Node entry; absent on the edge). */
  requestLog?: RequestLog;
  readiness: ReadinessCheck[];
  vectors?: VectorIndex;
  /** Collections other than the deployment's (knowledge bases embedded by a plugin); none: such searches find nothing. */
  vectorCollections?: VectorCollections;
  embedder?: Embedder;
  /** Original upload bytes (files in DATA_DIR, or PostgreSQL when DATABASE_URL is set). */
  blobs?: BlobStore;
  /** Where uploads are queued for the ingestion pipeline (BullMQ, or in-process in the embedded profile). */
  ingestQueue?: IngestQueue;
  /** Chat models for /v1/ask, built at start from config (offlineModelRegistry() when none are configured). */
  models: ModelRegistry;
  /** Per-key request limiter; absent means an in-process one. */
  rateLimiter?: RateLimiter;
  /** Sends e-mail (SMTP_URL via nodemailer); absent means the default from config (logs links without SMTP). */
  mailer?: Mailer;
  /** The web console served at `/` (Node entry only). */
  consoleAssets?: ConsoleAssets;
  /** The chat widget's script (src/widget), built by the Node entry at start; served at /widget.js. */
  widget?: { js: string };
  /** Consistent backups of a running embedded-profile service (POST /v1/platform/backup). */
  backup?: BackupSource;
  /** Payment providers (Stripe, Alipay), built by the Node entry from config; absent: no payments. */
  payments?: Payments;
  /** Installed plugins and their sandboxes (issue 19); made from config on first use when absent. */
  plugins?: PluginRuntime;
  /** Set while shutting down: /readyz turns 503 so load balancers stop sending traffic. */
  lifecycle: { draining: boolean };
}

export interface ServiceCtx {
  deps: AppDeps;
  auth: TenantAuth;
  requestId: string;
  /** The client's Idempotency-Key (POST /v1/ask): a model is charged once per key (services/budgets/settle.ts). */
  idempotencyKey?: string;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    auth: AuthContext;
  };
};
