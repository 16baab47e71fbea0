import type { ServiceCtx } from "../../context.js";
import { ServiceError, UnavailableError } from "../errors.js";

/** The ingestion capabilities of the running service, or a 503 saying what is missing. */
export function ingestionOf(ctx: ServiceCtx) {
  const { blobs, ingestQueue } = ctx.deps;
  if (!blobs || !ingestQueue) {
    throw new ServiceError(
      "unavailable",
      "Document ingestion is not configured on this deployment (no blob store or queue).",
    );
  }
  return { blobs, queue: ingestQueue };
}

/**
 * Queues a stored version. If the queue is unreachable the upload is kept (status queued) and a later
 * identical upload, or worker start-up recovery, queues it again; the caller is told to retry.
 */
export async function enqueueVersion(ctx: ServiceCtx, versionId: string): Promise<void> {
  const { queue } = ingestionOf(ctx);
  try {
    await queue.enqueue("ingest.document", { tenantId: ctx.auth.tenantId, versionId, keyId: ctx.auth.keyId });
  } catch (err) {
    ctx.deps.logger.error({ err, versionId }, "enqueue failed");
    throw new UnavailableError(
      "The document was stored but could not be queued for processing (the queue is unreachable). Retry the same upload in a minute.",
      30,
    );
  }
}
