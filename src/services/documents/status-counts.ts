import { count, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { documentVersions } from "../../db/schema.js";

/**
 * Document versions across every tenant, by status and (for failed ones) error code: what /metrics
 * exports for operators. One grouped scan of the versions table, indexed on status.
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
