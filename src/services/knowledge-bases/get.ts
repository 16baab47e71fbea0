import { and, eq } from "drizzle-orm";
import { canSeeKb } from "../../auth/middleware.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { knowledgeBases } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";

/** Loads a knowledge base the caller may see, else 404 (never 403: the caller may not know it exists). */
export async function getKnowledgeBase({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  return loadVisibleKb(ctx.deps.database.db, ctx, input.id);
}

export async function loadVisibleKb(db: Db, ctx: ServiceCtx, id: string) {
  if (!canSeeKb(ctx.auth, id)) throw new NotFoundError("Knowledge base", id);
  const [row] = await db
    .select()
    .from(knowledgeBases)
    .where(and(eq(knowledgeBases.id, id), eq(knowledgeBases.tenantId, ctx.auth.tenantId)))
    .limit(1);
  if (!row) throw new NotFoundError("Knowledge base", id);
  return row;
}
