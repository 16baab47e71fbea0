import { and, eq, inArray } from "drizzle-orm";
import { keysWithinSql } from "../../auth/rights.js";
import { actionsOf } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { apiKeys, keyCreators } from "../../db/schema.js";

/** The tenant's keys whose rights are within the caller's: a restricted key never sees broader keys. */
export async function listKeys({ ctx, input }: { ctx: ServiceCtx; input: PageInput }) {
  // Keys within the caller's rights (src/auth/rights.ts); without `admin`, only the keys the calling
  // person (or the member who created the calling key) created.
  return keysetPage(ctx.deps.database.db.select().from(apiKeys).$dynamic(), input, {
    by: apiKeys.id,
    where: [
      eq(apiKeys.tenantId, ctx.auth.tenantId),
      keysWithinSql(ctx.auth),
      actionsOf(ctx.auth).has("admin") ? undefined : inArray(apiKeys.id, keysCreatedBy(ctx)),
    ],
  });
}

/** Ids of the keys the calling person created in this tenant (a subquery). */
export function keysCreatedBy(ctx: ServiceCtx) {
  return ctx.deps.database.db
    .select({ id: keyCreators.keyId })
    .from(keyCreators)
    .where(and(eq(keyCreators.tenantId, ctx.auth.tenantId), eq(keyCreators.userId, ctx.auth.userId ?? "")));
}
