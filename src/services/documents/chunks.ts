import { and, asc, eq, gt } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { chunks } from "../../db/schema.js";
import { resolveVersion } from "./version.js";

export type ChunkRow = typeof chunks.$inferSelect;

/** A version's chunks in order (see resolveVersion for which version), cursor-paged by ordinal. */
export async function listChunks({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; versionId?: string; limit: number; after?: number };
}) {
  const { document, version } = await resolveVersion(ctx, input);
  const conds = [eq(chunks.versionId, version.id), eq(chunks.tenantId, ctx.auth.tenantId)];
  if (input.after !== undefined) conds.push(gt(chunks.ordinal, input.after));
  const rows = await ctx.deps.database.db
    .select()
    .from(chunks)
    .where(and(...conds))
    .orderBy(asc(chunks.ordinal))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? String(page[page.length - 1]!.ordinal) : null;
  return { document, version, items: page, nextCursor };
}
