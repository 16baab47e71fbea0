import { and, eq, sql } from "drizzle-orm";
import { canSeeKb } from "../../auth/middleware.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { preparedPerDb } from "../../db/prepared.js";
import { knowledgeBases } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";

/** Loads a knowledge base the caller may see, else 404 (never 403: the caller may not know it exists). */
export async function getKnowledgeBase({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  return loadVisibleKb(ctx.deps.database.db, ctx, input.id);
}

/**
 * The tenant's knowledge bases among `ids`. `= any($2)` keeps one statement text for any number of
 * ids (inArray would spell out each one).
 */
export const kbsOfTenantWhere = () =>
  and(
    eq(knowledgeBases.tenantId, sql.placeholder("tenantId")),
    sql`${knowledgeBases.id} = any(${sql.placeholder("ids")})`,
  );

// Every upload, most knowledge-base routes and searches run this: built once per database (see prepared.ts).
export const kbsById = preparedPerDb((db: Db) =>
  db.select().from(knowledgeBases).where(kbsOfTenantWhere()).prepare("kbs_by_id"),
);

export async function loadVisibleKb(db: Db, ctx: ServiceCtx, id: string) {
  if (!canSeeKb(ctx.auth, id)) throw new NotFoundError("Knowledge base", id);
  const [row] = await kbsById(db).execute({ tenantId: ctx.auth.tenantId, ids: [id] });
  if (!row) throw new NotFoundError("Knowledge base", id);
  return row;
}
