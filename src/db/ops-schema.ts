import { bigserial, index, integer, pgTable, smallint, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per answered HTTP request (issue 17, SLA): written in batches by the request middleware
 * (src/ops/request-log.ts), read by GET /v1/sla. Rows older than REQUEST_LOG_RETENTION_DAYS are pruned by
 * the writer. The route is the template (`/v1/documents/:id`), never the path, so ids do not leak in.
 */
export const requestLog = pgTable(
  "request_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Null for requests without an organization (platform keys, public pages, failed authentication). */
    tenantId: text("tenant_id"),
    method: text("method").notNull(),
    route: text("route").notNull(),
    status: smallint("status").notNull(),
    durationMs: integer("duration_ms").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("request_log_at_idx").on(t.at), index("request_log_tenant_at_idx").on(t.tenantId, t.at)],
);
