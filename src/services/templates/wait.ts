import { and, eq, inArray } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { documents, documentVersions } from "../../db/schema.js";
import { documentEventBus } from "../documents/event-bus.js";

const TERMINAL = new Set(["ready", "failed"]);
/** Re-read at least this often: a bus without LISTEN (or a lost notification) must not stall an apply. */
const REREAD_MS = 500;

/**
 * Waits until every document is ready or failed, or until `timeoutMs` passes; returns each one's
 * status then. Woken by the same document-event bus the `/events` streams use, so it does not poll the
 * database in a tight loop while the pipeline works.
 */
export async function waitForDocuments(
  ctx: ServiceCtx,
  ids: string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const bus = documentEventBus(ctx.deps);
  let wake: () => void = () => {};
  const stops = await Promise.all(ids.map((id) => bus.subscribe(id, () => wake())));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const statuses = await readStatuses(ctx, ids);
      const pending = ids.filter((id) => !TERMINAL.has(statuses.get(id) ?? ""));
      const left = deadline - Date.now();
      if (pending.length === 0 || left <= 0) return statuses;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(REREAD_MS, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    for (const stop of stops) stop();
  }
}

async function readStatuses(ctx: ServiceCtx, ids: string[]): Promise<Map<string, string>> {
  const rows = await ctx.deps.database.db
    .select({ id: documents.id, status: documentVersions.status })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId))
    .where(and(eq(documents.tenantId, ctx.auth.tenantId), inArray(documents.id, ids)));
  return new Map(rows.map((r) => [r.id, r.status ?? "queued"]));
}
