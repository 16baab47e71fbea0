import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { created, ts } from "./columns.js";
import { knowledgeBases } from "./tenancy-schema.js";

/** What the last run of a connector did (GET .../connectors/{id} shows it). */
export interface ConnectorRunSummary {
  trigger: "schedule" | "manual";
  startedAt: string;
  finishedAt: string | null;
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  /** At most 20, each naming the item; a listing error has no item. */
  errors: { item: string | null; code: string; message: string }[];
  /** False when the listing stopped early: deletions are then not followed, so nothing is lost. */
  complete: boolean;
}

/**
 * Connectors bound to knowledge bases (issue 19): an organization's enabled connector plugin, its
 * configuration for this source (secrets sealed like plugin secrets), its schedule, and a lease so that
 * only one process runs a binding at a time however many API processes and workers share the database.
 */
export const connectorBindings = pgTable(
  "connector_bindings",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    pluginId: text("plugin_id").notNull(),
    name: text("name").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** base64 of an encrypted JSON object (src/blobs/encryption.ts layout), or null. */
    secrets: text("secrets"),
    /** Seconds between scheduled runs; null: only on demand. */
    intervalSeconds: integer("interval_seconds"),
    nextRunAt: ts("next_run_at"),
    /** `idle`, `running`, or `failed` (the last run could not list the source). */
    state: text("state").notNull().default("idle"),
    /** Held by the process running the binding; an expired lease (crashed process) may be taken over. */
    leaseUntil: ts("lease_until"),
    /** Where the listing of a running run is (the plugin's page cursor), for progress and diagnosis. */
    cursor: text("cursor"),
    lastRun: jsonb("last_run").$type<ConnectorRunSummary>(),
    createdAt: created(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("connector_bindings_kb_idx").on(t.tenantId, t.kbId, t.id),
    index("connector_bindings_due_idx").on(t.nextRunAt),
  ],
);

/** The items a binding brought in: their version stamp and document, so unchanged ones are not fetched. */
export const connectorItems = pgTable(
  "connector_items",
  {
    bindingId: text("binding_id")
      .notNull()
      .references(() => connectorBindings.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    version: text("version").notNull(),
    documentId: text("document_id").notNull(),
    seenAt: ts("seen_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.bindingId, t.itemId] })],
);
