import { and, eq, type SQL } from "drizzle-orm";
import { kbRowsVisibleSql } from "../../auth/rights.js";
import type { ServiceCtx } from "../../context.js";
import type { Database } from "../../db/client.js";
import { keysetPage } from "../../db/paging.js";
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
  return keysetPage(db.select().from(auditLog).$dynamic(), input, {
    by: auditLog.id,
    order: "desc",
    where: [scope, input.action ? eq(auditLog.action, input.action) : undefined],
  });
}
