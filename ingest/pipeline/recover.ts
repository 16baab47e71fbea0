import { and, eq, inArray, lt } from "drizzle-orm";
import { documentVersions } from "../../src/db/schema.js";
import type { IngestQueue } from "../queue/types.js";
import type { PipelineDeps } from "./deps.js";
import { retireVersion } from "./finalize.js";
import { markFailed } from "./process.js";

/** A version whose worker died this many times is a poison document, not bad luck. */
const MAX_STARTS = 12;

/**
 * Run when a worker (or the in-process runner) starts: versions left queued or processing with no
 * live job are enqueued again (a crash, a restart of the embedded profile, a job lost by Redis), and
 * superseded versions whose clean-up was interrupted are removed.
 */
export async function recoverUnfinished(
  deps: PipelineDeps,
  queue: IngestQueue,
  opts: { olderThan?: Date } = {},
): Promise<{ requeued: number; failed: number; retired: number }> {
  const { db } = deps.database;
  const conds = [inArray(documentVersions.status, ["queued", "processing"])];
  // Versions created after the cut-off may be mid-upload (blob stored, job about to be added).
  if (opts.olderThan) conds.push(lt(documentVersions.createdAt, opts.olderThan));
  const stuck = await db
    .select({
      id: documentVersions.id,
      tenantId: documentVersions.tenantId,
      attempts: documentVersions.attempts,
    })
    .from(documentVersions)
    .where(and(...conds));
  let requeued = 0;
  let failed = 0;
  for (const v of stuck) {
    if (await queue.isLive(v.id)) continue;
    if (v.attempts >= MAX_STARTS) {
      await markFailed(deps, v.tenantId, v.id, {
        code: "internal_error",
        message: `Processing was interrupted ${v.attempts} times (the worker crashed or ran out of memory). Split the document or report its id.`,
      });
      failed++;
      continue;
    }
    await queue.enqueue("ingest.document", { tenantId: v.tenantId, versionId: v.id, keyId: null });
    requeued++;
  }
  const superseded = await db
    .select({ id: documentVersions.id, tenantId: documentVersions.tenantId })
    .from(documentVersions)
    .where(eq(documentVersions.status, "superseded"));
  for (const v of superseded) await retireVersion(deps, v.tenantId, v.id);
  if (requeued || failed || superseded.length) {
    deps.logger.info({ requeued, failed, retired: superseded.length }, "ingest recovery");
  }
  return { requeued, failed, retired: superseded.length };
}
