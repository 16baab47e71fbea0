import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { kbRowsVisibleSql } from "../../auth/rights.js";
import type { ServiceCtx } from "../../context.js";
import type { Database } from "../../db/client.js";
import { auditLog } from "../../db/schema.js";

export interface ListAuditInput {
  limit: number;
  cursor?: string;
  action?: string;
}

/**
 * Newest first; `nextCursor` is the id to pass as `cursor` for the next page. A key restricted to some
 * knowledge bases sees only entries about those (never tenant-wide ones such as other keys' creation).
 */
export async function listAudit({ ctx, input }: { ctx: ServiceCtx; input: ListAuditInput }) {
  return auditPage(
    ctx.deps.database.db,
    and(eq(auditLog.tenantId, ctx.auth.tenantId), kbRowsVisibleSql(ctx.auth, auditLog.kbIds))!,
    input,
  );
}

/** One page of the audit log within `scope` (a tenant, or the platform's own events), newest first. */
export async function auditPage(db: Database["db"], scope: SQL, input: ListAuditInput) {
  const conds = [scope];
  if (input.cursor) conds.push(lt(auditLog.id, input.cursor));
  if (input.action) conds.push(eq(auditLog.action, input.action));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}
