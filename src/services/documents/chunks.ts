import { eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage } from "../../db/paging.js";
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
  const { items, nextCursor } = await keysetPage(
    ctx.deps.database.db.select().from(chunks).$dynamic(),
    { limit: input.limit, cursor: input.after },
    {
      by: chunks.ordinal,
      where: [eq(chunks.versionId, version.id), eq(chunks.tenantId, ctx.auth.tenantId)],
      cursorOf: (row) => row.ordinal,
    },
  );
  return { document, version, items, nextCursor };
}
