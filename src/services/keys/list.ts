import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { keysWithinSql } from "../../auth/rights.js";
import { actionsOf } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import { apiKeys, keyCreators } from "../../db/schema.js";

/** The tenant's keys whose rights are within the caller's: a restricted key never sees broader keys. */
export async function listKeys({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { limit: number; cursor?: string };
}) {
  // Keys within the caller's rights (src/auth/rights.ts); without `admin`, only the keys the calling
  // person (or the member who created the calling key) created.
  const conds = [eq(apiKeys.tenantId, ctx.auth.tenantId), keysWithinSql(ctx.auth)];
  if (!actionsOf(ctx.auth).has("admin")) conds.push(inArray(apiKeys.id, keysCreatedBy(ctx)));
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

/** Ids of the keys the calling person created in this tenant (a subquery). */
export function keysCreatedBy(ctx: ServiceCtx) {
  return ctx.deps.database.db
    .select({ id: keyCreators.keyId })
    .from(keyCreators)
    .where(and(eq(keyCreators.tenantId, ctx.auth.tenantId), eq(keyCreators.userId, ctx.auth.userId ?? "")));
}
