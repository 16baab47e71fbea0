import { UnrecoverableError } from "bullmq";
import { BlobDecryptionError } from "../../src/blobs/encryption.js";
import { BlobNotFoundError } from "../../src/blobs/types.js";
import { ParseError } from "../parsers/index.js";
import { JobTimeoutError } from "../queue/run-attempt.js";

/** A stable code and a message the uploader can act on, stored on a failed version. */
export interface FailureReason {
  code: string;
  message: string;
  /** The page count when the document was read far enough to know it. */
  pages?: number;
}

/** Thrown by the pipeline for failures that retrying cannot fix; carries the reason to store. */
export class PermanentIngestError extends UnrecoverableError {
  constructor(readonly reason: FailureReason) {
    super(`${reason.code}: ${reason.message}`);
  }
}

/** A document whose processing kept dying with its process (poison, or a process too small for it). */
export function crashedWorker(starts?: number): FailureReason {
  return {
    code: "crashed_worker",
    message: `Processing stopped with its worker ${starts ? `${starts} times` : "too many times"} (the process crashed or was killed), so it is not retried again. Split the document or re-save it in another format and upload it again; if it keeps failing, report the document id.`,
  };
}

/** BullMQ's reasons for failing a job whose worker kept dying (stalled past WORKER_MAX_STALLED_COUNT). */
const STALLED = /(stalled|started) more than allowable limit/;

/** Turns any pipeline error into what the user sees; unknown errors reveal nothing internal. */
export function reasonFor(err: unknown): FailureReason {
  if (err instanceof PermanentIngestError) return err.reason;
  if (STALLED.test((err as Error | undefined)?.message ?? "")) return crashedWorker();
  if (err instanceof ParseError) {
    return { code: err.code, message: err.message, ...(err.pages ? { pages: err.pages } : {}) };
  }
  if (err instanceof BlobNotFoundError) return { code: "blob_missing", message: err.message };
  if (err instanceof BlobDecryptionError) return { code: "blob_unreadable", message: err.message };
  if (err instanceof JobTimeoutError) {
    return {
      code: "timeout",
      message: `Processing took too long (${err.message}). Split the document and upload the parts.`,
    };
  }
  const plugin = pluginFailure(err);
  if (plugin) return plugin;
  const e = err as { name?: string; status?: number; message?: string };
  if (e?.name === "VectorStoreUnavailableError") {
    return {
      code: "vector_store_unavailable",
      message: "The vector store stayed unreachable while indexing. Upload the document again later.",
    };
  }
  if (e?.name === "EmbedError") {
    return {
      code: "embedding_failed",
      message: `The embedding provider refused the request${e.status ? ` (HTTP ${e.status})` : ""}. Check EMBEDDINGS_* settings and the provider's quota, then upload again.`,
    };
  }
  return {
    code: "internal_error",
    message:
      "Processing failed on our side after several attempts. Upload the document again; if it keeps failing, report the document id.",
  };
}

/**
 * A loader or text-filter plugin failed (IngestPlugins throws its sandbox's code: plugin_timeout,
 * plugin_memory, plugin_crashed, plugin_bad_output, ...): the document fails with that code, at once,
 * since running the same plugin on the same bytes again would fail the same way.
 */
function pluginFailure(err: unknown): FailureReason | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code !== "string" || !e.code.startsWith("plugin_")) return null;
  return {
    code: e.code,
    message: `${String(e.message)}. Check the plugin's settings or ask an administrator to disable it, then upload the document again.`,
  };
}

/** Whether to stop retrying at once: the document itself is unusable or the request can never succeed. */
export function isPermanentFailure(err: unknown): boolean {
  if (err instanceof ParseError || err instanceof BlobNotFoundError || err instanceof UnrecoverableError)
    return true;
  if (pluginFailure(err)) return true;
  const e = err as { name?: string; status?: number };
  // A provider 4xx other than 429 (bad key, unknown model, input too long) will not change by waiting.
  if (e?.name === "EmbedError" && typeof e.status === "number" && e.status < 500 && e.status !== 429)
    return true;
  return e?.name === "VectorStoreRequestError";
}
