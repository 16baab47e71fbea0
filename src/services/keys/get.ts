import { and, eq } from "drizzle-orm";
import { keysWithinSql } from "../../auth/rights.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/**
 * One key of the caller's tenant whose rights are within the caller's. Broader keys are reported as
 * not found, as other tenants' keys are: a restricted key cannot even learn they exist.
 */
export async function findVisibleKey(db: Db, ctx: ServiceCtx, id: string, lock = false) {
  const query = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, ctx.auth.tenantId), keysWithinSql(ctx.auth)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("API key", id);
  return row;
}

export async function getKey({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  return findVisibleKey(ctx.deps.database.db, ctx, input.id);
}
