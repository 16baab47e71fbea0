import { and, eq, inArray } from "drizzle-orm";
import { keysWithinSql } from "../../auth/rights.js";
import { actionsOf } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";
import { keysCreatedBy } from "./list.js";

/**
 * One key of the caller's tenant whose rights are within the caller's. Broader keys are reported as
 * not found, as other tenants' keys are: a restricted key cannot even learn they exist. Without
 * `admin`, only keys the calling person (or the calling key's creator) created are visible.
 */
export async function findVisibleKey(db: Db, ctx: ServiceCtx, id: string, lock = false) {
  const query = db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.id, id),
        eq(apiKeys.tenantId, ctx.auth.tenantId),
        keysWithinSql(ctx.auth),
        actionsOf(ctx.auth).has("admin") ? undefined : inArray(apiKeys.id, keysCreatedBy(ctx)),
      ),
    )
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new NotFoundError("API key", id);
  return row;
}

export async function getKey({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  return findVisibleKey(ctx.deps.database.db, ctx, input.id);
}
