import { and, eq, inArray, lt } from "drizzle-orm";
import { documentVersions } from "../../src/db/schema.js";
import type { IngestQueue } from "../queue/types.js";
import type { PipelineDeps } from "./deps.js";
import { crashedWorker } from "./failure.js";
import { retireVersion } from "./finalize.js";
import { markFailed } from "./process.js";

/**
 * Restarts after a crash before a version is called poison: a version still `processing` with no live
 * job whose attempts have started more than this many times over (the first start plus this many
 * retries) fails `crashed_worker` instead of being queued again. The same number as BullMQ's default
 * stall budget (WORKER_MAX_STALLED_COUNT), so both queues give a crashing document the same chances.
 */
export const MAX_CRASH_RETRIES = 3;

/**
 * Run when a worker (or the in-process runner) starts: versions left queued or processing with no
 * live job are enqueued again (a crash, a restart of the embedded profile, a job lost by Redis), and
 * superseded versions whose clean-up was interrupted are removed.
 */
export async function recoverUnfinished(
  deps: PipelineDeps,
  queue: IngestQueue,
  opts: { olderThan?: Date; maxCrashRetries?: number } = {},
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
  const maxStarts = 1 + (opts.maxCrashRetries ?? MAX_CRASH_RETRIES);
  for (const v of stuck) {
    if (await queue.isLive(v.id)) continue;
    if (v.attempts >= maxStarts) {
      await markFailed(deps, v.tenantId, v.id, crashedWorker(v.attempts));
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
