import { and, eq, notInArray, sql } from "drizzle-orm";
import { chunks, documentTexts, documentVersions } from "../../src/db/schema.js";
import type { JobFailureHandler, JobProcessor, JobRun } from "../queue/types.js";
import type { PipelineDeps } from "./deps.js";
import { extractChunks } from "./extract.js";
import { type FailureReason, isPermanentFailure, PermanentIngestError, reasonFor } from "./failure.js";
import { activateVersion } from "./finalize.js";
import { ChunkIndexer, VersionGoneError } from "./index-chunks.js";
import { deleteVersionPoints } from "./kb-embedding.js";
import { loadJob } from "./load.js";

const TERMINAL = ["ready", "failed", "superseded"];

/**
 * One attempt at ingesting a document version: blob -> parse -> chunk -> embed -> upsert -> ready,
 * with a PDF's chunks embedded and upserted while its later pages are still being parsed.
 * Every step is safe to repeat; a retry resumes from stored chunk rows and the indexed-chunk count.
 */
export async function ingestVersion(
  deps: PipelineDeps,
  input: { tenantId: string; versionId: string; keyId: string | null; signal: AbortSignal },
): Promise<"ready" | "skipped"> {
  const job = await loadJob(deps, input.tenantId, input.versionId);
  if (!job || TERMINAL.includes(job.version.status)) return "skipped";
  const { db } = deps.database;
  const started = performance.now();
  await db
    .update(documentVersions)
    .set({
      status: "processing",
      attempts: sql`${documentVersions.attempts} + 1`,
      startedAt: job.version.startedAt ?? new Date(),
      updatedAt: new Date(),
    })
    .where(eq(documentVersions.id, job.version.id));
  const timings: Record<string, number> = { ...job.version.timings };
  try {
    const indexer = new ChunkIndexer(deps, job, { keyId: input.keyId, signal: input.signal });
    try {
      await extractChunks(deps, job, indexer, timings);
    } catch (err) {
      // A batch still in flight must settle before the failure is handled (its points are removed then).
      await indexer.stop();
      throw err;
    }
    await indexer.finish(timings);
    timings.total_ms = Math.round(performance.now() - started) + (job.version.timings.total_ms ?? 0);
    await activateVersion(deps, job, timings);
    return "ready";
  } catch (err) {
    if (err instanceof VersionGoneError) {
      // Deleted while we worked: whatever we upserted since the delete must not outlive it.
      await deleteVersionPoints(deps, input.tenantId, input.versionId, job.kb);
      return "skipped";
    }
    if (isPermanentFailure(err)) {
      const reason = reasonFor(err);
      await markFailed(deps, input.tenantId, input.versionId, reason);
      throw new PermanentIngestError(reason);
    }
    throw err;
  }
}

/**
 * Records why a version failed and drops anything it indexed (the previous version, if any, stays
 * searchable). Terminal versions are left alone, so a late duplicate failure cannot undo `ready`.
 */
export async function markFailed(
  deps: PipelineDeps,
  tenantId: string,
  versionId: string,
  reason: FailureReason,
) {
  const { db } = deps.database;
  const rows = await db
    .update(documentVersions)
    .set({
      status: "failed",
      errorCode: reason.code,
      errorMessage: reason.message,
      finishedAt: new Date(),
      updatedAt: new Date(),
      // One rule for `pages` on failures: the page count once known (the parser's, else what progress
      // recorded), null when the document could not be read that far.
      ...(reason.pages ? { pages: reason.pages } : {}),
    })
    .where(
      and(eq(documentVersions.id, versionId), notInArray(documentVersions.status, ["ready", "superseded"])),
    )
    .returning({ id: documentVersions.id });
  if (rows.length === 0) return;
  await deleteVersionPoints(deps, tenantId, versionId);
  await db.delete(chunks).where(eq(chunks.versionId, versionId));
  await db.delete(documentTexts).where(eq(documentTexts.versionId, versionId));
}

/** The processor and final-failure handler both queue implementations run. */
export function createIngestProcessor(deps: PipelineDeps): {
  processor: JobProcessor;
  onFailure: JobFailureHandler;
} {
  const processor: JobProcessor = async (run: JobRun) => {
    const { tenantId, versionId } = run.payload;
    const log = deps.logger.child({ jobId: run.id, attempt: run.attempt });
    const outcome = await ingestVersion(deps, {
      tenantId,
      versionId,
      keyId: run.payload.keyId ?? null,
      signal: run.signal,
    });
    log.info({ versionId, outcome }, "ingest job done");
  };
  const onFailure: JobFailureHandler = async (run, error) => {
    const { tenantId, versionId } = run.payload;
    await markFailed(deps, tenantId, versionId, reasonFor(error));
  };
  return { processor, onFailure };
}
