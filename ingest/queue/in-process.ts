import type { Logger } from "../../src/context.js";
import { JOB_CATALOG, type JobName, parsePayload } from "./catalog.js";
import { backoffDelay, isPermanent, runAttempt } from "./run-attempt.js";
import type { IngestQueue, JobFailureHandler, JobProcessor } from "./types.js";

interface Entry {
  id: string;
  name: JobName;
  data: unknown;
  attempt: number;
  timer?: NodeJS.Timeout;
  controller?: AbortController;
}

export interface InProcessOptions {
  concurrency: number;
  processor: JobProcessor;
  onFailure: JobFailureHandler;
  logger: Logger;
  /** Delay before retry n; defaults to the catalog's exponential backoff. */
  retryDelay?: (name: JobName, retry: number) => number;
}

export interface InProcessQueue extends IngestQueue {
  /** Resolves once nothing is waiting, delayed or running (tests and benchmarks). */
  idle(): Promise<void>;
}

/**
 * The embedded profile's queue: same catalog, retries and processor as BullMQ, kept in memory. Jobs
 * do not survive a restart by themselves; the documents table does, and startup recovery re-enqueues
 * every version left queued or processing.
 */
export function createInProcessQueue(opts: InProcessOptions): InProcessQueue {
  const jobs = new Map<string, Entry>();
  const waiting: Entry[] = [];
  const running = new Set<Promise<void>>();
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (jobs.size > 0) return;
    for (const fn of idleWaiters) fn();
    idleWaiters = [];
  };

  const pump = () => {
    while (!closed && running.size < opts.concurrency && waiting.length > 0) {
      const entry = waiting.shift()!;
      const run: Promise<void> = execute(entry).finally(() => {
        running.delete(run);
        pump();
        settleIdle();
      });
      running.add(run);
    }
  };

  const execute = async (entry: Entry) => {
    entry.controller = new AbortController();
    try {
      await runAttempt(opts.processor, { ...entry, outerSignal: entry.controller.signal });
      jobs.delete(entry.id);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (closed) return; // shutting down: recovery re-enqueues it on the next start
      const final = isPermanent(error) || entry.attempt >= JOB_CATALOG[entry.name].attempts;
      opts.logger.warn(
        { jobId: entry.id, attempt: entry.attempt, final, err: error.message },
        "ingest job failed",
      );
      if (final) {
        jobs.delete(entry.id);
        await opts
          .onFailure({ id: entry.id, name: entry.name, payload: entry.data as never }, error)
          .catch((e) => opts.logger.error({ err: e, jobId: entry.id }, "recording a failed job failed"));
        return;
      }
      const delay = (opts.retryDelay ?? backoffDelay)(entry.name, entry.attempt);
      entry.attempt++;
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        waiting.push(entry);
        pump();
      }, delay);
    } finally {
      entry.controller = undefined;
    }
  };

  return {
    kind: "in-process",
    async enqueue(name, payload) {
      if (closed) throw new Error("the ingestion queue is closed (the service is shutting down)");
      const data = parsePayload(name, payload);
      const id = JOB_CATALOG[name].jobId(data);
      if (jobs.has(id)) return;
      const entry: Entry = { id, name, data, attempt: 1 };
      jobs.set(id, entry);
      waiting.push(entry);
      pump();
    },
    isLive: async (jobId) => jobs.has(jobId),
    idle: () => (jobs.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    async close() {
      closed = true;
      for (const entry of jobs.values()) {
        if (entry.timer) clearTimeout(entry.timer);
        // Running attempts stop at their next batch boundary; their documents stay "processing".
        entry.controller?.abort(new Error("shutting down"));
      }
      waiting.length = 0;
      await Promise.allSettled([...running]);
    },
  };
}
