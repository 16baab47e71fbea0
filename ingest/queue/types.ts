import type { JobName, JobPayload } from "./catalog.js";

/** What a processor learns about the attempt it is running. */
export interface JobRun<N extends JobName = JobName> {
  id: string;
  name: N;
  payload: JobPayload<N>;
  /** 1 for the first attempt. */
  attempt: number;
  /** True when a transient failure now would not be retried. */
  finalAttempt: boolean;
  /** Aborted when the job times out or the worker shuts down. */
  signal: AbortSignal;
}

/** The domain side of a job; BullMQ workers and the in-process runner call the same one. */
export type JobProcessor = (run: JobRun) => Promise<void>;

/**
 * Called when a job will not run again (permanent error, retries used up, or its worker died too
 * often), so the document can be marked failed even when the processor never saw the last error.
 */
export type JobFailureHandler = (run: Pick<JobRun, "id" | "name" | "payload">, error: Error) => Promise<void>;

/** The producer side: what the API and recovery use to schedule work. */
export interface IngestQueue {
  readonly kind: "bullmq" | "in-process";
  /** Adds a job; a job with the same id that is still waiting or running makes this a no-op. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void>;
  /** Whether a job with this id is waiting, delayed or running. */
  isLive(jobId: string): Promise<boolean>;
  /** Jobs by state (waiting, active, delayed, failed), for /metrics; absent where the queue cannot say. */
  depth?(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** A running consumer (BullMQ worker or in-process runner). */
export interface IngestRunner {
  close(): Promise<void>;
}
