import { and, eq, inArray } from "drizzle-orm";
import { canSeeKb } from "../../auth/middleware.js";
import type { ServiceCtx } from "../../context.js";
import { knowledgeBases } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";

export type KbRow = typeof knowledgeBases.$inferSelect;

/**
 * Loads every requested knowledge base in one query, in request order. Any id the key may not read,
 * or that belongs to another tenant, is a 404: a search never silently narrows to what is visible.
 */
export async function loadVisibleKbs(ctx: ServiceCtx, ids: string[]): Promise<KbRow[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) if (!canSeeKb(ctx.auth, id)) throw new NotFoundError("Knowledge base", id);
  const rows = await ctx.deps.database.db
    .select()
    .from(knowledgeBases)
    .where(and(eq(knowledgeBases.tenantId, ctx.auth.tenantId), inArray(knowledgeBases.id, unique)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFoundError("Knowledge base", id);
    return row;
  });
}
