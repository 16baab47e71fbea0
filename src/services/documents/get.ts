import { and, eq } from "drizzle-orm";
import { canSeeKb } from "../../auth/middleware.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { documents, documentVersions } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";

export type DocumentRow = typeof documents.$inferSelect;
export type VersionRow = typeof documentVersions.$inferSelect;
export interface DocumentWithVersion {
  document: DocumentRow;
  /** The newest version: its status is the document's status. */
  version: VersionRow | null;
}

export async function getDocument({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  return loadVisibleDocument(ctx.deps.database.db, ctx, input.id);
}

/** A document of the caller's tenant in a knowledge base the key may see, else 404. */
export async function loadVisibleDocument(db: Db, ctx: ServiceCtx, id: string): Promise<DocumentWithVersion> {
  const [row] = await db
    .select({ document: documents, version: documentVersions })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId))
    .where(and(eq(documents.id, id), eq(documents.tenantId, ctx.auth.tenantId)))
    .limit(1);
  if (!row || !canSeeKb(ctx.auth, row.document.kbId)) throw new NotFoundError("Document", id);
  return row;
}
