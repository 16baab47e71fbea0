import { and, asc, eq, gt } from "drizzle-orm";
import { keysWithinSql } from "../../auth/rights.js";
import type { ServiceCtx } from "../../context.js";
import { apiKeys } from "../../db/schema.js";

/** The tenant's keys whose rights are within the caller's: a restricted key never sees broader keys. */
export async function listKeys({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { limit: number; cursor?: string };
}) {
  const conds = [eq(apiKeys.tenantId, ctx.auth.tenantId), keysWithinSql(ctx.auth)];
  if (input.cursor) conds.push(gt(apiKeys.id, input.cursor));
  const rows = await ctx.deps.database.db
    .select()
    .from(apiKeys)
    .where(and(...conds))
    .orderBy(asc(apiKeys.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}
