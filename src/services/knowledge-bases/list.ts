import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { knowledgeBases } from "../../db/schema.js";

export async function listKnowledgeBases({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { limit: number; cursor?: string };
}) {
  const conds = [eq(knowledgeBases.tenantId, ctx.auth.tenantId)];
  if (ctx.auth.kbIds) conds.push(inArray(knowledgeBases.id, ctx.auth.kbIds.length ? ctx.auth.kbIds : [""]));
  if (input.cursor) conds.push(gt(knowledgeBases.id, input.cursor));
  const rows = await ctx.deps.database.db
    .select()
    .from(knowledgeBases)
    .where(and(...conds))
    .orderBy(asc(knowledgeBases.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}
