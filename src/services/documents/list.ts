import { and, asc, eq, gt } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { documents, documentVersions } from "../../db/schema.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";

export const DOCUMENT_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Documents of one knowledge base, oldest first, optionally only those whose newest version has `status`. */
export async function listDocuments({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; limit: number; cursor?: string; status?: DocumentStatus };
}) {
  const { db } = ctx.deps.database;
  await loadVisibleKb(db, ctx, input.kbId);
  const conds = [eq(documents.tenantId, ctx.auth.tenantId), eq(documents.kbId, input.kbId)];
  if (input.cursor) conds.push(gt(documents.id, input.cursor));
  if (input.status) conds.push(eq(documentVersions.status, input.status));
  const rows = await db
    .select({ document: documents, version: documentVersions })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId))
    .where(and(...conds))
    .orderBy(asc(documents.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.document.id : null };
}
