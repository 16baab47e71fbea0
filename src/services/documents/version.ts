import { and, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { documentVersions } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";
import { type DocumentWithVersion, loadVisibleDocument, type VersionRow } from "./get.js";

/**
 * The version a read of a document's contents means: `versionId` when given (it must belong to the
 * document), else the version searches see, else the newest one (still processing, or failed).
 * Visibility is the document's: 404 for another tenant or a knowledge base the key may not see.
 */
export async function resolveVersion(
  ctx: ServiceCtx,
  input: { id: string; versionId?: string },
): Promise<DocumentWithVersion & { version: VersionRow }> {
  const { db } = ctx.deps.database;
  const found = await loadVisibleDocument(db, ctx, input.id);
  const wanted = input.versionId ?? found.document.activeVersionId ?? found.document.latestVersionId;
  if (wanted && wanted === found.version?.id) return { document: found.document, version: found.version };
  if (wanted) {
    const [version] = await db
      .select()
      .from(documentVersions)
      .where(
        and(
          eq(documentVersions.id, wanted),
          eq(documentVersions.documentId, found.document.id),
          eq(documentVersions.tenantId, ctx.auth.tenantId),
        ),
      )
      .limit(1);
    if (version) return { document: found.document, version };
  }
  throw new NotFoundError("Document version", input.versionId ?? `of document ${input.id}`);
}
