import type { JobProcessor, JobRun } from "../queue/types.js";
import { type BatchMember, ingestBatch, isBatchable } from "./batch.js";
import type { PipelineDeps } from "./deps.js";
import { loadJobs } from "./load.js";

export interface BatchingOptions {
  /** Most versions ingested together. */
  maxBatch: number;
  /** Jobs that take the single path (big or not new) run at most this many at a time. */
  singleConcurrency: number;
  /** How long the first job of a batch waits for others to arrive (BullMQ hands jobs over one by one). */
  gatherMs?: number;
}

interface Waiting {
  run: JobRun;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * A JobProcessor that drains several `ingest.document` jobs at once. The queue (in-process or
 * BullMQ) runs up to `maxBatch` jobs concurrently; each job's call waits here while jobs gather, one
 * query loads all their versions, and the small new ones go through ingestBatch together while the
 * rest take the single path (`single`), at most `singleConcurrency` at a time. Every job still
 * settles on its own, so retries, final failures, job ids, recovery and progress are the queue's as
 * before; a job that a batch could not finish is retried alone on the single path.
 */
export function createBatchingProcessor(
  deps: PipelineDeps,
  single: JobProcessor,
  opts: BatchingOptions,
): JobProcessor {
  const gatherMs = opts.gatherMs ?? 5;
  let pending: Waiting[] = [];
  let draining = false;
  let singles = 0;
  const singleWaiters: (() => void)[] = [];

  const runSingle = async (w: Waiting) => {
    while (singles >= opts.singleConcurrency) await new Promise<void>((r) => singleWaiters.push(r));
    singles++;
    try {
      await single(w.run);
      w.resolve();
    } catch (err) {
      w.reject(err);
    } finally {
      singles--;
      singleWaiters.shift()?.();
    }
  };

  const drain = async () => {
    draining = true;
    try {
      // Let the jobs the queue is handing over arrive before the first batch is cut.
      await new Promise((r) => setTimeout(r, gatherMs));
      while (pending.length > 0) {
        const taken = pending.slice(0, opts.maxBatch);
        pending = pending.slice(taken.length);
        await runBatch(taken);
      }
    } finally {
      draining = false;
    }
  };

  const runBatch = async (taken: Waiting[]) => {
    let jobs: Awaited<ReturnType<typeof loadJobs>>;
    try {
      jobs = await loadJobs(
        deps,
        taken.map((w) => w.run.payload.versionId),
      );
    } catch (err) {
      for (const w of taken) w.reject(err);
      return;
    }
    const batch: { w: Waiting; member: BatchMember }[] = [];
    const documentsSeen = new Set<string>();
    // Text-filter plugins read a document's pages before chunking, which the batch path cannot do:
    // documents of organizations with filters enabled take the single path.
    const filtered = new Set<string>();
    if (deps.plugins) {
      const tenants = new Set([...jobs.values()].map((j) => j.version.tenantId));
      for (const t of tenants) if (await deps.plugins.hasTextFilters(t).catch(() => true)) filtered.add(t);
    }
    for (const w of taken) {
      const job = jobs.get(w.run.payload.versionId);
      // One version per document per batch: two versions of one document activate in order, alone.
      if (
        job &&
        job.version.tenantId === w.run.payload.tenantId &&
        !w.run.finalAttempt &&
        isBatchable(job) &&
        !filtered.has(job.version.tenantId) &&
        !documentsSeen.has(job.document.id)
      ) {
        documentsSeen.add(job.document.id);
        batch.push({ w, member: { job, keyId: w.run.payload.keyId ?? null } });
      } else void runSingle(w);
    }
    if (batch.length === 1) {
      void runSingle(batch[0]!.w);
      return;
    }
    if (batch.length === 0) return;
    const signal = AbortSignal.any(batch.map((b) => b.w.run.signal));
    try {
      const outcomes = await ingestBatch(
        deps,
        batch.map((b) => b.member),
        signal,
      );
      for (const { w, member } of batch) {
        const o = outcomes.get(member.job.version.id);
        if (!o || o.ok) w.resolve();
        else w.reject(o.error);
      }
      deps.logger.info({ documents: batch.length }, "ingest batch done");
    } catch (err) {
      deps.logger.warn(
        { err, documents: batch.length },
        "ingest batch failed; its documents are retried alone",
      );
      for (const { w } of batch) w.reject(err);
    }
  };

  return (run: JobRun) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ run, resolve, reject });
      if (!draining) void drain();
    });
}
