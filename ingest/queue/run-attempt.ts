import { UnrecoverableError } from "bullmq";
import { JOB_CATALOG, type JobName, parsePayload } from "./catalog.js";
import type { JobProcessor, JobRun } from "./types.js";

export class JobTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`job ${name} ran longer than its ${Math.round(ms / 1000)}s limit`);
    this.name = "JobTimeoutError";
  }
}

/** Whether an error means "never retry" (parse failures, bad payloads, deleted documents). */
export function isPermanent(err: unknown): boolean {
  return err instanceof UnrecoverableError || (err as Error | undefined)?.name === "UnrecoverableError";
}

/**
 * One attempt of a job, shared by both queue implementations: validates the payload again (it may
 * have been enqueued by another version of the code) and enforces the catalog's time limit.
 */
export async function runAttempt(
  processor: JobProcessor,
  job: { id: string; name: string; data: unknown; attempt: number; outerSignal?: AbortSignal },
): Promise<void> {
  if (!Object.hasOwn(JOB_CATALOG, job.name)) throw new UnrecoverableError(`unknown job name ${job.name}`);
  const name = job.name as JobName;
  const spec = JOB_CATALOG[name];
  let payload: JobRun["payload"];
  try {
    payload = parsePayload(name, job.data);
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new JobTimeoutError(name, spec.timeoutMs)), spec.timeoutMs);
  timer.unref?.();
  const onOuterAbort = () => controller.abort(job.outerSignal?.reason);
  job.outerSignal?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    await processor({
      id: job.id,
      name,
      payload,
      attempt: job.attempt,
      finalAttempt: job.attempt >= spec.attempts,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
    job.outerSignal?.removeEventListener("abort", onOuterAbort);
  }
}

/** Delay before retry n (1-based) of a job: exponential from the catalog's base. */
export function backoffDelay(name: JobName, retry: number): number {
  return JOB_CATALOG[name].backoffMs * 2 ** Math.max(0, retry - 1);
}
