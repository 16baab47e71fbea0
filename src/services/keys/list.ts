import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { actionsOf } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import { apiKeys, keyCreators } from "../../db/schema.js";

export async function listKeys({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { limit: number; cursor?: string };
}) {
  const conds = [eq(apiKeys.tenantId, ctx.auth.tenantId)];
  // Without `admin`, people see only the keys they created themselves.
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
