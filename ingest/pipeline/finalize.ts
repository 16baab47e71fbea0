import { and, eq, notInArray, sql } from "drizzle-orm";
import { documents, documentVersions } from "../../src/db/schema.js";
import type { PipelineDeps } from "./deps.js";
import { VersionGoneError } from "./index-chunks.js";
import { deleteVersionPoints } from "./kb-embedding.js";
import type { LoadedJob } from "./load.js";

/**
 * Makes a fully indexed version the one searches see, in one transaction with its `ready` status;
 * the version it replaces is hidden from that moment (see hiddenVersionIds) and then removed.
 * Versions race by id (ids are time-ordered): an older upload finishing late never replaces a newer one.
 */
export async function activateVersion(
  deps: PipelineDeps,
  job: LoadedJob,
  timings: Record<string, number>,
): Promise<void> {
  const { version } = job;
  const retired = await deps.database.db.transaction(async (t) => {
    const [doc] = await t
      .select({ active: documents.activeVersionId })
      .from(documents)
      .where(eq(documents.id, job.document.id))
      .for("update");
    if (!doc) throw new VersionGoneError(version.id);
    const wins = doc.active === null || doc.active < version.id;
    const status = wins ? "ready" : "superseded";
    const rows = await t
      .update(documentVersions)
      .set({ status, finishedAt: new Date(), updatedAt: new Date(), timings })
      .where(and(eq(documentVersions.id, version.id), notInArray(documentVersions.status, ["failed"])))
      .returning({ id: documentVersions.id });
    if (rows.length === 0) throw new VersionGoneError(version.id);
    if (!wins) return version.id;
    await t
      .update(documents)
      .set({ activeVersionId: version.id, updatedAt: new Date() })
      .where(eq(documents.id, job.document.id));
    if (doc.active) {
      await t
        .update(documentVersions)
        .set({ status: "superseded" })
        .where(eq(documentVersions.id, doc.active));
    }
    return doc.active;
  });
  if (retired) await retireVersion(deps, version.tenantId, retired);
}

/**
 * Removes a version nobody searches any more: points first, then its file, then the row (chunks
 * cascade). Until the row is gone the version stays hidden, so a crash in between is harmless and
 * recovery finishes the job.
 */
export async function retireVersion(deps: PipelineDeps, tenantId: string, versionId: string): Promise<void> {
  const { db } = deps.database;
  const [row] = await db
    .select({ blobKey: documentVersions.blobKey, documentId: documentVersions.documentId })
    .from(documentVersions)
    .where(and(eq(documentVersions.id, versionId), eq(documentVersions.tenantId, tenantId)));
  if (!row) return;
  await deleteVersionPoints(deps, tenantId, versionId);
  // Another version of the same document may share the blob only if the content was identical, which
  // dedup prevents; still, never delete a blob some remaining version points at.
  const [shared] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(documentVersions)
    .where(and(eq(documentVersions.blobKey, row.blobKey), sql`${documentVersions.id} <> ${versionId}`));
  if (!shared?.n) await deps.blobs.delete(row.blobKey);
  await db.delete(documentVersions).where(eq(documentVersions.id, versionId));
}
