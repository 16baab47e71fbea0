import { count, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { documentVersions } from "../../db/schema.js";

/**
 * Document versions across every tenant, by status and (for failed ones) error code: what /metrics
 * exports for operators. One grouped scan of the versions table.
 */
export async function documentStatusCounts(
  db: Db,
): Promise<{ status: string; errorCode: string | null; count: number }[]> {
  const rows = await db
    .select({ status: documentVersions.status, errorCode: documentVersions.errorCode, count: count() })
    .from(documentVersions)
    .groupBy(documentVersions.status, documentVersions.errorCode)
    .orderBy(sql`1`);
  return rows.map((r) => ({ status: r.status, errorCode: r.errorCode, count: Number(r.count) }));
}

/** p50/p95 of each stage's time (the `timings` the pipeline records) over versions finished in the last hour. */
export async function recentStageDurations(
  db: Db,
): Promise<{ stage: string; p50: number; p95: number; count: number }[]> {
  const result = await db.execute(sql`
    select t.key as stage, count(*)::int as n,
      percentile_cont(0.5) within group (order by t.value::numeric) as p50,
      percentile_cont(0.95) within group (order by t.value::numeric) as p95
    from ${documentVersions}, jsonb_each_text(${documentVersions.timings}) t
    where ${documentVersions.finishedAt} >= now() - interval '1 hour' and t.key like '%\\_ms'
    group by t.key`);
  const rows = ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Record<string, unknown>[];
  return rows.map((r) => ({
    stage: String(r.stage).replace(/_ms$/, ""),
    p50: Number(r.p50),
    p95: Number(r.p95),
    count: Number(r.n),
  }));
}
