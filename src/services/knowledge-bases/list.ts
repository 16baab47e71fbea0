import { eq, inArray } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { knowledgeBases } from "../../db/schema.js";

export async function listKnowledgeBases({ ctx, input }: { ctx: ServiceCtx; input: PageInput }) {
  const { kbIds } = ctx.auth;
  return keysetPage(ctx.deps.database.db.select().from(knowledgeBases).$dynamic(), input, {
    by: knowledgeBases.id,
    where: [
      eq(knowledgeBases.tenantId, ctx.auth.tenantId),
      kbIds ? inArray(knowledgeBases.id, kbIds.length ? kbIds : [""]) : undefined,
    ],
  });
}
