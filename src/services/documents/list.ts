import { eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
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
  input: PageInput & { kbId: string; status?: DocumentStatus };
}) {
  const { db } = ctx.deps.database;
  await loadVisibleKb(db, ctx, input.kbId);
  const query = db
    .select({ document: documents, version: documentVersions })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId));
  return keysetPage(query.$dynamic(), input, {
    by: documents.id,
    where: [
      eq(documents.tenantId, ctx.auth.tenantId),
      eq(documents.kbId, input.kbId),
      input.status ? eq(documentVersions.status, input.status) : undefined,
    ],
    cursorOf: (row) => row.document.id,
  });
}
