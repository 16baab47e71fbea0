import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";

/** The SLA windows GET /v1/sla reports, longest last; the request log keeps at least the longest. */
export const SLA_WINDOWS = [
  { name: "1h", ms: 3_600_000 },
  { name: "24h", ms: 86_400_000 },
  { name: "30d", ms: 30 * 86_400_000 },
] as const;

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RouteSla {
  method: string;
  route: string;
  requests: number;
  /** Answers with status 5xx: the service's failures (4xx are the caller's and count as served). */
  errors: number;
  latencyMs: Percentiles;
}

export interface ModelSla {
  model: string;
  calls: number;
  /** Calls the ledger recorded as `failed` (a client's abort is not the model's failure). */
  failed: number;
  latencyMs: Percentiles;
  ttftMs: Percentiles;
}

export interface WindowSla {
  window: string;
  from: Date;
  requests: number;
  errors: number;
  routes: RouteSla[];
  models: ModelSla[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const pct = (r: Record<string, unknown>, prefix: string): Percentiles => ({
  p50: num(r[`${prefix}0`]),
  p95: num(r[`${prefix}1`]),
  p99: num(r[`${prefix}2`]),
});

/**
 * Success rate and latency percentiles per route (from the request log) and per model (from the usage
 * ledger, with time to first token) over each window; `tenantId` null means every organization.
 * Percentiles are computed by PostgreSQL (percentile_cont) over the window's rows.
 */
export async function slaReport(
  db: Db,
  input: { tenantId: string | null; now?: Date },
): Promise<WindowSla[]> {
  const now = input.now ?? new Date();
  const out: WindowSla[] = [];
  for (const w of SLA_WINDOWS) {
    const from = new Date(now.getTime() - w.ms);
    const tenantRoutes = input.tenantId === null ? sql`true` : sql`tenant_id = ${input.tenantId}`;
    const routes = await db.execute(sql`
      select method, route, count(*)::int as n, (count(*) filter (where status >= 500))::int as errors,
        ${sql.raw(
          [0.5, 0.95, 0.99]
            .map((q, i) => `percentile_cont(${q}) within group (order by duration_ms) as l${i}`)
            .join(", "),
        )}
      from request_log where at >= ${from} and ${tenantRoutes}
      group by method, route order by n desc, route limit 200`);
    const models = await db.execute(sql`
      select model, count(*)::int as n, (count(*) filter (where status = 'failed'))::int as failed,
        ${sql.raw(
          [0.5, 0.95, 0.99]
            .map((q, i) => `percentile_cont(${q}) within group (order by latency_ms) as l${i}`)
            .join(", "),
        )},
        ${sql.raw(
          [0.5, 0.95, 0.99]
            .map((q, i) => `percentile_cont(${q}) within group (order by ttft_ms) as t${i}`)
            .join(", "),
        )}
      from usage_ledger where kind = 'chat' and created_at >= ${from} and ${tenantRoutes}
      group by model order by n desc, model limit 100`);
    const routeRows = rowsOf(routes).map((r) => ({
      method: String(r.method),
      route: String(r.route),
      requests: Number(r.n),
      errors: Number(r.errors),
      latencyMs: pct(r, "l"),
    }));
    out.push({
      window: w.name,
      from,
      requests: routeRows.reduce((s, r) => s + r.requests, 0),
      errors: routeRows.reduce((s, r) => s + r.errors, 0),
      routes: routeRows,
      models: rowsOf(models).map((r) => ({
        model: String(r.model),
        calls: Number(r.n),
        failed: Number(r.failed),
        latencyMs: pct(r, "l"),
        ttftMs: pct(r, "t"),
      })),
    });
  }
  return out;
}

/** node-postgres answers `{ rows }`, PGlite answers `{ rows }` too; drizzle's execute type hides both. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  const r = result as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}
