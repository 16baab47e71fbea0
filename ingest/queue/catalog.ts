import { z } from "zod";

/**
 * Every job the ingestion queue knows: its payload schema (checked when enqueued and again when
 * processed, since another version of the code may have enqueued it), retries and time limit.
 */
export const JOB_CATALOG = {
  "ingest.document": {
    payload: z.strictObject({
      tenantId: z.string().min(1),
      versionId: z.string().regex(/^ver_[0-9a-z]+$/),
      /** The uploading key, charged for billable embeddings (null when re-enqueued by recovery). */
      keyId: z.string().nullable().optional(),
    }),
    /** Attempts in total; transient failures (vector store, database, provider 429/5xx) use them up. */
    attempts: 6,
    /** Exponential backoff base: 2s, 4s, 8s... */
    backoffMs: 2_000,
    /** A 2,000-page PDF through a slow embedding API stays well under this. */
    timeoutMs: 60 * 60_000,
    /** The job id: enqueueing the same document version twice is a no-op. */
    jobId: (p: { versionId: string }) => p.versionId,
  },
} as const;

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CATALOG)[N]["payload"]>;

export class InvalidJobError extends Error {
  constructor(name: string, detail: string) {
    super(`invalid payload for job ${name}: ${detail}`);
    this.name = "InvalidJobError";
  }
}

/** Validates a payload against the catalog; throws InvalidJobError naming the bad fields. */
export function parsePayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  const spec = JOB_CATALOG[name];
  if (!spec) throw new InvalidJobError(String(name), "unknown job name");
  const result = spec.payload.safeParse(payload);
  if (!result.success) {
    throw new InvalidJobError(
      name,
      result.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; "),
    );
  }
  return result.data as JobPayload<N>;
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_CATALOG, name);
}
