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

// Every upload and most knowledge-base routes run this: built once per database (see prepared.ts).
const kbById = preparedPerDb((db: Db) =>
  db
    .select()
    .from(knowledgeBases)
    .where(
      and(
        eq(knowledgeBases.id, sql.placeholder("id")),
        eq(knowledgeBases.tenantId, sql.placeholder("tenantId")),
      ),
    )
    .limit(1)
    .prepare("kb_by_id"),
);

export async function loadVisibleKb(db: Db, ctx: ServiceCtx, id: string) {
  if (!canSeeKb(ctx.auth, id)) throw new NotFoundError("Knowledge base", id);
  const [row] = await kbById(db).execute({ id, tenantId: ctx.auth.tenantId });
  if (!row) throw new NotFoundError("Knowledge base", id);
  return row;
}
