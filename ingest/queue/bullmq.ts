import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Logger } from "../../src/context.js";
import { JOB_CATALOG, type JobName, parsePayload } from "./catalog.js";
import { isPermanent, runAttempt } from "./run-attempt.js";
import type { IngestQueue, IngestRunner, JobFailureHandler, JobProcessor } from "./types.js";

export const QUEUE_NAME = "ingest";
const LIVE_STATES = new Set(["waiting", "delayed", "active", "prioritized", "waiting-children"]);
const connectionOf = (redisUrl: string) => ({ url: redisUrl, maxRetriesPerRequest: null });

export interface BullOptions {
  redisUrl: string;
  /** Redis key prefix; deployments (and tests) sharing a Redis use different ones. */
  prefix: string;
}

/** Producer side on BullMQ. */
export function createBullQueue(opts: BullOptions): IngestQueue {
  const queue = new Queue(QUEUE_NAME, { connection: connectionOf(opts.redisUrl), prefix: opts.prefix });
  // Errors surface on the calls that need Redis; without a listener they would crash the process.
  queue.on("error", () => {});
  const isLive = async (jobId: string) => LIVE_STATES.has(await queue.getJobState(jobId));
  return {
    kind: "bullmq",
    isLive,
    async depth() {
      const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed");
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
      };
    },
    async enqueue(name, payload) {
      const data = parsePayload(name, payload);
      const spec = JOB_CATALOG[name];
      const jobId = spec.jobId(data);
      const state = await queue.getJobState(jobId);
      if (LIVE_STATES.has(state)) return;
      // A finished job keeps its id until removed; recovery re-enqueues under the same id.
      if (state === "failed" || state === "completed") await queue.remove(jobId);
      await queue.add(name, data, {
        jobId,
        attempts: spec.attempts,
        backoff: { type: "exponential", delay: spec.backoffMs },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      });
    },
    close: () => queue.close(),
  };
}

export interface BullWorkerOptions extends BullOptions {
  concurrency: number;
  lockMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  processor: JobProcessor;
  onFailure: JobFailureHandler;
  logger: Logger;
}

/** Consumer side on BullMQ; any number may run on any number of machines. */
export function startBullWorker(opts: BullWorkerOptions): IngestRunner {
  const worker = new Worker(
    QUEUE_NAME,
    async (job, _token, signal) => {
      await runAttempt(opts.processor, {
        id: job.id!,
        name: job.name,
        data: job.data,
        attempt: job.attemptsMade + 1,
        outerSignal: signal,
      });
    },
    {
      connection: connectionOf(opts.redisUrl),
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: opts.stalledIntervalMs,
      maxStalledCount: opts.maxStalledCount,
    },
  );
  worker.on("error", (err) => opts.logger.error({ err }, "ingest worker error"));
  worker.on("failed", (job, err) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = isPermanent(err) || job.attemptsMade >= attempts;
    opts.logger.warn(
      { jobId: job.id, attempt: job.attemptsMade, final, err: err.message },
      "ingest job failed",
    );
    if (!final || !Object.hasOwn(JOB_CATALOG, job.name)) return;
    const name = job.name as JobName;
    opts
      .onFailure({ id: job.id!, name, payload: job.data }, err)
      .catch((e) => opts.logger.error({ err: e, jobId: job.id }, "recording a failed job failed"));
  });
  return {
    // close() waits for running jobs; a forced stop is SIGKILL, which the stalled check recovers from.
    close: () => worker.close(),
  };
}

export { UnrecoverableError };
