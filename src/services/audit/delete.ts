import type { SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { ServiceCtx } from "../../context.js";
import { type AuditEntry, recordAudit } from "./record.js";

/**
 * Deletes a resource's row and audits the deletion in one transaction, so the log never misses a
 * deletion nor records one that rolled back. The tenant, actor and request come from the context.
 */
export async function deleteWithAudit(
  ctx: ServiceCtx,
  table: PgTable,
  where: SQL | undefined,
  entry: Pick<AuditEntry, "action" | "resourceType" | "resourceId" | "kbIds" | "detail">,
): Promise<void> {
  await ctx.deps.database.db.transaction(async (tx) => {
    await tx.delete(table).where(where);
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      ...entry,
      requestId: ctx.requestId,
    });
  });
}
