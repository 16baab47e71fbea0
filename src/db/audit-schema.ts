import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { created } from "./columns.js";

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
