import { and, eq } from "drizzle-orm";
import type { BlobStore } from "../../blobs/types.js";
import type { ServiceCtx } from "../../context.js";
import { documents, documentVersions } from "../../db/schema.js";
import { deleteWithAudit } from "../audit/delete.js";
import { kbVectorsById } from "../knowledge-bases/vectors.js";
import { loadVisibleDocument } from "./get.js";

/**
 * Removes a document: its points first (so nothing searchable outlives the rows even if we crash
 * midway), then its files, then the rows (versions and chunks cascade). A job still running for it
 * notices the missing version and deletes what it upserted since.
 */
export async function deleteDocument({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const { db } = ctx.deps.database;
  const { document } = await loadVisibleDocument(db, ctx, input.id);
  const vectors = await kbVectorsById(ctx.deps, document.kbId);
  const points = vectors ? await vectors.delete(ctx.auth.tenantId, { docId: document.id }) : 0;
  const keys = await db
    .select({ blobKey: documentVersions.blobKey })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, document.id));
  const bytes = await deleteBlobs(
    ctx.deps.blobs,
    keys.map((k) => k.blobKey),
  );
  await deleteWithAudit(ctx, documents, eq(documents.id, document.id), {
    action: "document.delete",
    resourceType: "document",
    resourceId: document.id,
    kbIds: [document.kbId],
    detail: { kb_id: document.kbId, filename: document.filename, points, bytes },
  });
  return { id: document.id, deleted: true as const, points, bytes };
}

/**
 * The documents' part of deleting a knowledge base, called by the knowledge-base verb: that verb has
 * already removed the points and deletes the rows afterwards; this removes the files and counts.
 */
export async function deleteKnowledgeBaseDocuments(ctx: ServiceCtx, kbId: string) {
  const { db } = ctx.deps.database;
  const docs = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.kbId, kbId), eq(documents.tenantId, ctx.auth.tenantId)));
  const keys = await db
    .select({ blobKey: documentVersions.blobKey })
    .from(documentVersions)
    .where(and(eq(documentVersions.kbId, kbId), eq(documentVersions.tenantId, ctx.auth.tenantId)));
  const bytes = await deleteBlobs(
    ctx.deps.blobs,
    keys.map((k) => k.blobKey),
  );
  return { documents: docs.length, bytes };
}

async function deleteBlobs(blobs: BlobStore | undefined, keys: string[]): Promise<number> {
  if (!blobs) return 0;
  let bytes = 0;
  for (const key of new Set(keys)) bytes += await blobs.delete(key);
  return bytes;
}
