import { and, eq, sql } from "drizzle-orm";
import { canSeeKb } from "../../auth/middleware.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { preparedPerDb } from "../../db/prepared.js";
import { knowledgeBases } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";

// `= any($2)` keeps one statement text for any number of ids (inArray would spell out each one).
const kbsById = preparedPerDb((db: Db) =>
  db
    .select()
    .from(knowledgeBases)
    .where(
      and(
        eq(knowledgeBases.tenantId, sql.placeholder("tenantId")),
        sql`${knowledgeBases.id} = any(${sql.placeholder("ids")})`,
      ),
    )
    .prepare("kbs_by_id"),
);

export type KbRow = typeof knowledgeBases.$inferSelect;

/**
 * Loads every requested knowledge base in one query, in request order. Any id the key may not read,
 * or that belongs to another tenant, is a 404: a search never silently narrows to what is visible.
 */
export async function loadVisibleKbs(ctx: ServiceCtx, ids: string[]): Promise<KbRow[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) if (!canSeeKb(ctx.auth, id)) throw new NotFoundError("Knowledge base", id);
  const rows = await kbsById(ctx.deps.database.db).execute({ tenantId: ctx.auth.tenantId, ids: unique });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFoundError("Knowledge base", id);
    return row;
  });
}
