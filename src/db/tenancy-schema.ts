import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { created, micros, ts } from "./columns.js";

/** Tenants, their API keys and knowledge bases: what every other table hangs from. */
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
    /** `plugin:<id>`: an embedder plugin embeds this knowledge base's chunks; null: the deployment's embedder. */
    embedder: text("embedder"),
    /** The plugin embedder's dimension, learned from its first vectors (names the collection); null until then. */
    embedderDimension: integer("embedder_dimension"),
    createdAt: created(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("kb_tenant_idx").on(t.tenantId, t.id)],
);
