import { z } from "zod";
import { type PlanCatalog, parsePlanCatalog } from "./billing/plans.js";
import {
  type ModelConfig,
  modelsConfigSchema,
  type ProviderEntry,
  providerEntriesSchema,
} from "./models/config-schema.js";

/**
 * Every environment variable the service reads, parsed once at the entry (server.ts, worker, edge.ts).
 * Nothing else reads process.env: the parsed Config is passed down as a dependency.
 */
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(" or ")}`,
    });

/**
 * `id:base64key` pairs separated by commas; the first encrypts new blobs, every one decrypts (rotation:
 * put the new key first, run `npm run blobs:rotate`, then drop the old one).
 */
const trustedKeys = z.string().transform((raw, ctx) => {
  const keys: { name: string; spki: Buffer }[] = [];
  for (const part of raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9+/=]+)$/.exec(part);
    if (!m) {
      ctx.addIssue({
        code: "custom",
        message: "each entry must be name:base64 of a public key in SPKI DER form",
      });
      return z.NEVER;
    }
    keys.push({ name: m[1]!, spki: Buffer.from(m[2]!, "base64") });
  }
  return keys;
});

const blobKeys = z.string().transform((raw, ctx) => {
  const keys: { id: string; key: Buffer }[] = [];
  for (const part of raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)$/.exec(part);
    const key = m ? Buffer.from(m[2]!, "base64") : undefined;
    if (!m || key?.length !== 32) {
      ctx.addIssue({
        code: "custom",
        message:
          "each entry must be id:base64 of 32 random bytes (openssl rand -base64 32), ids of A-Z a-z 0-9 _ -",
      });
      return z.NEVER;
    }
    if (keys.some((k) => k.id === m[1])) {
      ctx.addIssue({ code: "custom", message: `key id ${m[1]} appears twice` });
      return z.NEVER;
    }
    keys.push({ id: m[1]!, key: key! });
  }
  return keys;
});

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: intFrom(0, 65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Public base URL used in printed links and status URLs; defaults to http://localhost:PORT. */
  PUBLIC_URL: url(["http", "https"]).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  /** Pool size for DATABASE_URL connections. */
  DATABASE_POOL_MAX: intFrom(1, 200).default(10),
  /** Keep all tables in this PostgreSQL schema (search_path) instead of public: isolated tests, shared servers. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lowercase PostgreSQL identifier (a-z, 0-9, _)")
    .optional(),
  REDIS_URL: url(["redis", "rediss"]).optional(),
  QDRANT_URL: url(["http", "https"]).optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  ADMIN_API_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{24,128}$/, "must be 24-128 characters of A-Z a-z 0-9 _ -")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest accepted JSON request body. */
  MAX_JSON_KB: intFrom(1, 10_240).default(1024),
  MAX_UPLOAD_MB: intFrom(1, 2048).default(50),
  SHUTDOWN_TIMEOUT_MS: intFrom(0, 600_000).default(30_000),
  /** How long the request log behind GET /v1/sla keeps rows (the longest SLA window is 30 days). */
  REQUEST_LOG_RETENTION_DAYS: intFrom(1, 3650).default(31),
  WORKER_CONCURRENCY: intFrom(1, 64).default(2),
  /**
   * Small new documents (text, Markdown, HTML, DOCX up to 64 KB) ingested together by one worker:
   * one embedding call, one vector upsert and a few statements for the lot. 1 turns batching off.
   */
  INGEST_BATCH_SIZE: intFrom(1, 1_000).default(256),
  /** How often a worker looks for versions left queued or processing with no live job (a job Redis lost). */
  INGEST_RECOVERY_INTERVAL_MS: intFrom(1_000, 3_600_000).default(300_000),
  /** BullMQ key prefix and queue name: separate deployments (or tests) sharing one Redis use different ones. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_\-.]{1,64}$/, "must be 1-64 of A-Z a-z 0-9 _ - .")
    .default("aihub"),
  /** How long a worker's claim on a job lasts without renewal; a killed worker's job is retried after about this long. */
  WORKER_LOCK_MS: intFrom(1_000, 600_000).default(30_000),
  /** How often workers look for jobs whose worker died (BullMQ stalled-job check). */
  WORKER_STALLED_INTERVAL_MS: intFrom(500, 600_000).default(30_000),
  /** Times a job may be recovered from a dead worker before it fails. */
  WORKER_MAX_STALLED_COUNT: intFrom(0, 100).default(3),
  /** PDFs with more pages fail `too_large` before extraction (see the README's ingestion limits). */
  MAX_PAGES: intFrom(1, 100_000).default(2_000),
  /** Wall time to parse one document; past it the document fails `resource_limit`. */
  PARSE_TIMEOUT_MS: intFrom(1_000, 3_600_000).default(120_000),
  /** V8 heap of a parse thread (DOCX, HTML, Markdown, text); past it the document fails `resource_limit`. */
  PARSE_HEAP_MB: intFrom(64, 4_096).default(256),
  /** Requests per minute per API key on /v1 routes (0 disables). */
  RATE_LIMIT_PER_MINUTE: intFrom(0, 1_000_000).default(600),
  /** Failed authentications per client address per minute before 429 (0 = off). */
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: intFrom(0, 1_000_000).default(60),
  /** Open document /events streams per API key and per tenant (0 = no cap). */
  MAX_STREAMS_PER_KEY: intFrom(0, 1_000_000).default(100),
  MAX_STREAMS_PER_TENANT: intFrom(0, 1_000_000).default(1000),
  /** Dense dimension of the offline embedder. */
  EMBEDDING_DIMENSION: intFrom(16, 4096).default(384),
  /** OpenAI-compatible embeddings instead of the offline embedder (base URL, key and model). */
  EMBEDDINGS_BASE_URL: url(["http", "https"]).optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  /** JSON array of chat providers: [{"id","baseURL","apiKeyEnv"|"apiKey"}]. */
  PROVIDERS_JSON: z.string().optional(),
  /** JSON array of chat models: [{"id","provider","upstream","contextWindow","price":{...}}]. */
  MODELS_JSON: z.string().optional(),
  DEFAULT_MODEL: z.string().min(1).optional(),
  /** Folder of the built web console served at `/` (default dist/console, written by `npm run build:console`). */
  CONSOLE_DIR: z.string().min(1).optional(),
  /** Run the embedded engine / in-process ingestion even when shared services are configured. */
  INGEST_IN_PROCESS: bool.optional(),
  // ---- people: accounts, sessions, e-mail (issue 12) ----
  /** open: anyone may sign up and gets an organization; invite: accounts only through invitations; closed: neither. */
  SIGNUP: z.enum(["open", "invite", "closed"]).default("open"),
  /** The person who becomes platform administrator on sign-up (else: the first account). */
  ADMIN_EMAIL: z.string().trim().toLowerCase().email().optional(),
  /** smtp[s]://user:pass@host:port; unset: e-mails are not sent and their links are logged. */
  SMTP_URL: url(["smtp", "smtps"]).optional(),
  MAIL_FROM: z.string().min(3).default("AI Hub <no-reply@localhost>"),
  /** Base of the links in e-mails (the web console); defaults to PUBLIC_URL. */
  CONSOLE_URL: url(["http", "https"]).optional(),
  /**
   * scrypt cost as log2(N) with r=8, p=1: 15 = 32 MiB per hash. 16 (64 MiB) measured 370 ms p50 per
   * sign-in on 2 cores, over the 100-300 ms target; hashes with other parameters are re-hashed at sign-in.
   */
  PASSWORD_SCRYPT_LOG_N: intFrom(12, 20).default(15),
  /** Absolute session lifetime, and how long an unused session stays valid. */
  SESSION_TTL_HOURS: intFrom(1, 24 * 365).default(24 * 30),
  SESSION_IDLE_HOURS: intFrom(1, 24 * 365).default(24 * 7),
  /**
   * How long an API process may reuse what every request reads (an API key's lookup; a knowledge
   * base with nothing indexing); 0 reads them on every request. A change clears every process's
   * cache at its commit (LISTEN/NOTIFY); this bounds only what a notification lost in flight could
   * leave behind.
   */
  READ_CACHE_SECONDS: intFrom(0, 3600).default(60),
  /** Failed sign-ins allowed before back-off starts, and the first back-off (doubling per failure). */
  LOGIN_FREE_FAILURES: intFrom(1, 100).default(5),
  LOGIN_BACKOFF_BASE_MS: intFrom(100, 600_000).default(1000),
  // ---- production hygiene (issue 17) ----
  /** Encrypts stored originals with AES-256-GCM: `id:base64key[,id:base64key...]`, the first for writes. */
  BLOB_ENCRYPTION_KEYS: blobKeys.optional(),
  // ---- plugins (issue 19) ----
  /** Where installed plugin versions are unpacked; default DATA_DIR/plugins. */
  PLUGINS_DIR: z.string().min(1).optional(),
  /** Keys trusted to sign plugin tarballs: `name:base64-SPKI-DER[,...]` (Ed25519 or RSA). */
  PLUGIN_TRUSTED_KEYS: trustedKeys.optional(),
  /** Refuse unsigned tarballs (with PLUGIN_TRUSTED_KEYS). */
  PLUGIN_REQUIRE_SIGNATURE: bool.default(false),
  /** Caps on every plugin's own limits: the operator's word wins over a manifest's. */
  PLUGIN_MAX_MEMORY_MB: intFrom(16, 4096).default(512),
  PLUGIN_MAX_TIME_MS: intFrom(100, 600_000).default(60_000),
  /** How often a process looks for connectors due to run (ms); 0: this process runs none on schedule. */
  CONNECTOR_TICK_MS: intFrom(0, 3_600_000).default(30_000),
  /** The shortest schedule a connector may have, in seconds. */
  CONNECTOR_MIN_INTERVAL_SECONDS: intFrom(1, 86_400 * 30).default(300),
  /**
   * Whether plugins (connectors, the webhook post-processor, any plugin's fetch) may fetch from
   * loopback, private, link-local and other non-public addresses (by the URL's host or any address it
   * resolves to). Default false: an organization's administrator must not reach the service's own
   * network (metadata endpoint, database) through a plugin. CONNECTOR_ALLOW_PRIVATE_HOSTS is its
   * former name, still read (parseConfig resolves the two).
   */
  PLUGIN_ALLOW_PRIVATE_HOSTS: bool.optional(),
  CONNECTOR_ALLOW_PRIVATE_HOSTS: bool.optional(),
  /**
   * Sandbox processes per plugin version (each with the plugin's memory limit). Ingestion and
   * connectors may use all but one, so searches never wait behind them; 1: one process, calls in turn.
   */
  PLUGIN_POOL_SIZE: intFrom(1, 16).default(2),
  /** Items one run of a connector takes in at most; the listing stops there (deletions then wait). */
  CONNECTOR_MAX_ITEMS: intFrom(1, 1_000_000).default(10_000),
  /** Browser origins allowed to call /v1 with CORS (comma-separated); default none: API keys are for servers. */
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim().replace(/\/$/, ""))
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^https?:\/\/[^/\s]+$/, "each origin is scheme://host[:port], e.g. https://app.example.com"),
      ),
    )
    .optional(),
  /** Use the first X-Forwarded-For address as the client address (only behind a proxy you trust). */
  TRUST_PROXY: bool.optional(),
  // ---- billing: plans, quotas, wallet, payments (issue 16) ----
  /** on: plans' quotas are enforced and calls past them are billed to the wallet; off (default): no quotas, as before. */
  BILLING: z.enum(["on", "off"]).default("off"),
  /** JSON array of plans (README "Billing, plans and payments"); absent: free, pro and enterprise defaults. */
  BILLING_PLANS_JSON: z.string().optional(),
  /** The plan of an organization that never chose one. */
  BILLING_DEFAULT_PLAN: z.string().min(1).default("free"),
  /** Lowest wallet balance calls may leave, in micro-dollars (negative: a credit line). */
  WALLET_FLOOR_MICROS: z.coerce.number().int().min(-1_000_000_000_000).max(1_000_000_000_000).default(0),
  /** Days a past-due subscription keeps its plan before the organization drops to the default plan. */
  BILLING_GRACE_DAYS: intFrom(0, 365).default(7),
  /** Stripe: secret key and webhook signing secret (both needed for card payments). */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Another Stripe API base (stripe-mock, a test fake); default api.stripe.com. */
  STRIPE_API_URL: url(["http", "https"]).optional(),
  /** Alipay: app id, the app's RSA2 private key, Alipay's public key (PEM or one base64 line). */
  ALIPAY_APP_ID: z.string().min(1).optional(),
  ALIPAY_PRIVATE_KEY: z.string().min(1).optional(),
  ALIPAY_PUBLIC_KEY: z.string().min(1).optional(),
  /** Alipay's gateway; default https://openapi.alipay.com/gateway.do (sandbox: the sandbox gateway). */
  ALIPAY_GATEWAY: url(["http", "https"]).optional(),
  /** Yuan charged per US dollar of wallet credit, fixed by the operator (Alipay charges CNY). */
  ALIPAY_CNY_PER_USD: z
    .string()
    .regex(/^\d{1,4}(\.\d{1,6})?$/, "a decimal rate such as 7.20")
    .default("7.20"),
  /**
   * WeChat Pay (微信支付) API v3, Native pay: merchant id, app id, the merchant API certificate's serial
   * and private key, the platform key (a platform certificate serial or public key id, and its PEM public
   * key) and the 32-byte APIv3 key. All are needed to enable it.
   */
  WECHATPAY_MCHID: z.string().min(1).optional(),
  WECHATPAY_APPID: z.string().min(1).optional(),
  WECHATPAY_MERCHANT_SERIAL: z.string().min(1).optional(),
  WECHATPAY_PRIVATE_KEY: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_SERIAL: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY: z.string().min(1).optional(),
  WECHATPAY_API_V3_KEY: z
    .string()
    .refine((v) => Buffer.byteLength(v) === 32, "the APIv3 key is 32 bytes")
    .optional(),
  /** WeChat Pay's API base; default https://api.mch.weixin.qq.com (tests: a local fake). */
  WECHATPAY_BASE_URL: url(["http", "https"]).optional(),
  /** Yuan charged per US dollar of wallet credit through WeChat Pay, fixed by the operator. */
  WECHATPAY_CNY_PER_USD: z
    .string()
    .regex(/^\d{1,4}(\.\d{1,6})?$/, "a decimal rate such as 7.20")
    .default("7.20"),
  /** Tax rate printed on statements, as a fraction ("0.2" = 20%); 0: no tax line amount. */
  STATEMENT_TAX_RATE: z
    .string()
    .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, "a fraction between 0 and 1 such as 0.2")
    .default("0"),
});

export type Config = Omit<
  z.infer<typeof configSchema>,
  "PLUGIN_ALLOW_PRIVATE_HOSTS" | "CONNECTOR_ALLOW_PRIVATE_HOSTS"
> & {
  /** PLUGIN_ALLOW_PRIVATE_HOSTS, or its former name CONNECTOR_ALLOW_PRIVATE_HOSTS; default false. */
  PLUGIN_ALLOW_PRIVATE_HOSTS: boolean;
  /** The plan catalog, parsed from BILLING_PLANS_JSON with the rest (src/billing/plans.ts). */
  plans: PlanCatalog;
  /** Chat providers, parsed from PROVIDERS_JSON (src/models/config-schema.ts). */
  chatProviders: ProviderEntry[];
  /** Chat models, parsed from MODELS_JSON. */
  chatModels: ModelConfig[];
  /**
   * The secrets other variables name (a provider's apiKeyEnv), by variable name; each was checked to
   * be set. Only these: the rest of the environment stays out of the config.
   */
  secrets: Record<string, string>;
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming each bad variable and what is allowed. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" (docker-compose and shells often export VAR=).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = i.path.join(".");
      return `  ${name}=${JSON.stringify(env[name] ?? "")}: ${i.message}`;
    });
    throw new ConfigError(
      `Invalid configuration:\n${lines.join("\n")}\nSee the configuration table in README.md.`,
    );
  }
  try {
    const plans = parsePlanCatalog(result.data.BILLING_PLANS_JSON, result.data.BILLING_DEFAULT_PLAN);
    const chatProviders = parseJsonVariable(
      "PROVIDERS_JSON",
      result.data.PROVIDERS_JSON,
      providerEntriesSchema,
    );
    const chatModels = parseJsonVariable("MODELS_JSON", result.data.MODELS_JSON, modelsConfigSchema);
    const {
      PLUGIN_ALLOW_PRIVATE_HOSTS: allow,
      CONNECTOR_ALLOW_PRIVATE_HOSTS: formerAllow,
      ...rest
    } = result.data;
    if (allow !== undefined && formerAllow !== undefined && allow !== formerAllow) {
      throw new Error(
        "PLUGIN_ALLOW_PRIVATE_HOSTS and its former name CONNECTOR_ALLOW_PRIVATE_HOSTS disagree; set only PLUGIN_ALLOW_PRIVATE_HOSTS",
      );
    }
    return {
      ...rest,
      PLUGIN_ALLOW_PRIVATE_HOSTS: allow ?? formerAllow ?? false,
      plans,
      chatProviders,
      chatModels,
      secrets: namedSecrets(chatProviders, cleaned),
    };
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration:\n  ${(err as Error).message}\nSee the configuration table in README.md.`,
    );
  }
}

/** A variable holding a JSON array; unset means an empty one. Errors name the variable and the field. */
function parseJsonVariable<T>(name: string, raw: string | undefined, schema: z.ZodType<T[]>): T[] {
  if (raw === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`${name} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${name} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The provider keys PROVIDERS_JSON names by variable (apiKeyEnv); each must be set. */
function namedSecrets(providers: ProviderEntry[], env: Record<string, string | undefined>) {
  const secrets: Record<string, string> = {};
  for (const p of providers) {
    if (p.apiKey !== undefined || !p.apiKeyEnv) continue;
    const value = env[p.apiKeyEnv];
    if (!value) {
      throw new Error(
        `PROVIDERS_JSON: provider "${p.id}" reads its key from ${p.apiKeyEnv} (apiKeyEnv), which is not set`,
      );
    }
    secrets[p.apiKeyEnv] = value;
  }
  return secrets;
}

/** The embedded profile runs everything in one process; production profile uses shared services. */
export function profileOf(config: Config): "embedded" | "production" {
  return config.DATABASE_URL ? "production" : "embedded";
}

/** For process entries: parses the environment or prints what is wrong and exits with status 1. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
