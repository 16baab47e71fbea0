import { and, eq } from "drizzle-orm";
import type { AppDeps, ServiceCtx } from "../../context.js";
import { type ConnectorRunSummary, connectorBindings, connectorItems, documents } from "../../db/schema.js";
import { invoke } from "../../plugins/package.js";
import { recordAudit } from "../audit/record.js";
import { deleteDocument } from "../documents/delete.js";
import { uploadDocument } from "../documents/upload.js";
import { ConflictError, isServiceError } from "../errors.js";
import { pluginRuntime } from "../plugins/install.js";
import { type ConnectorBinding, connectorManifest, getConnector, runConfig } from "./bindings.js";
import { claim, type Lease, renew } from "./lease.js";

const MAX_ERRORS = 20;

/**
 * Starts a run of a binding now (POST .../sync). 409 while another run holds the binding. The run goes
 * on after this returns; its outcome is the binding's `lastRun`.
 */
export async function syncConnector({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; id: string };
}) {
  const row = await getConnector({ ctx, input });
  const lease = await claim(ctx.deps.database.db, row.id);
  if (!lease) {
    throw new ConflictError("A run of this connector is in progress; wait until its state is idle.");
  }
  await recordAudit(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action: "connector.sync",
    resourceType: "connector",
    resourceId: row.id,
    kbIds: [row.kbId],
    detail: { plugin_id: row.pluginId },
    requestId: ctx.requestId,
  });
  void runLeased(ctx.deps, lease, "manual").catch((err) =>
    ctx.deps.logger.error({ err, connector: row.id }, "connector run failed"),
  );
  return lease.binding;
}

/** The caller a run acts as: the binding itself, with the rights of an ingest key of its organization. */
function runCtx(deps: AppDeps, b: ConnectorBinding): ServiceCtx {
  return {
    deps,
    auth: { keyId: b.id, tenantId: b.tenantId, scopes: ["ingest"], kbIds: null, platform: false },
    requestId: `connector-${b.id}-${Date.now()}`,
  };
}

/**
 * One run under a held lease: list every page, fetch and upload what is new or changed (the upload verb
 * dedups by external_id = item id and makes a changed item a new version), then, if the listing was
 * complete, delete the documents of items that are gone. Item failures are counted and the run goes on;
 * a listing failure ends it without deleting anything.
 */
export async function runLeased(
  deps: AppDeps,
  lease: Lease,
  trigger: ConnectorRunSummary["trigger"],
): Promise<ConnectorRunSummary> {
  const b = lease.binding;
  const db = deps.database.db;
  const summary: ConnectorRunSummary = {
    trigger,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    added: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
    errors: [],
    complete: false,
  };
  const fail = (item: string | null, err: unknown) => {
    if (item) summary.failed++;
    const code = isServiceError(err) ? err.code : "error";
    if (summary.errors.length < MAX_ERRORS)
      summary.errors.push({ item, code, message: String((err as Error).message).slice(0, 500) });
    if (!isServiceError(err)) deps.logger.error({ err, connector: b.id, item }, "connector item failed");
  };
  let listingFailed = false;
  let lost = false;
  try {
    const { enabled, config } = await runConfig(deps, b);
    if (!enabled)
      throw new ConflictError(`The plugin ${b.pluginId} is no longer enabled for this organization.`);
    const manifest = await connectorManifest(deps, b.pluginId);
    const sandbox = pluginRuntime(deps).sandbox(manifest);
    const ctx = runCtx(deps, b);
    const known = new Map(
      (await db.select().from(connectorItems).where(eq(connectorItems.bindingId, b.id))).map((r) => [
        r.itemId,
        r,
      ]),
    );
    // Documents of the binding's items that still exist (a person may have deleted some meanwhile).
    const liveDocs = new Set(
      (
        await db
          .select({ id: documents.id })
          .from(connectorItems)
          .innerJoin(documents, eq(documents.id, connectorItems.documentId))
          .where(eq(connectorItems.bindingId, b.id))
      ).map((d) => d.id),
    );
    const seen = new Set<string>();
    let cursor: string | null = null;
    pages: for (;;) {
      let page: Awaited<ReturnType<typeof invoke<"connector", "list">>>;
      try {
        page = await invoke(sandbox, "connector", "list", { cursor }, config);
      } catch (err) {
        listingFailed = true;
        fail(null, err);
        break;
      }
      for (const item of page.items) {
        if (seen.has(item.id)) continue;
        if (seen.size >= deps.config.CONNECTOR_MAX_ITEMS) {
          listingFailed = true;
          fail(
            null,
            new Error(
              `the source lists more than ${deps.config.CONNECTOR_MAX_ITEMS} items (CONNECTOR_MAX_ITEMS); the rest waits and nothing is deleted`,
            ),
          );
          break pages;
        }
        seen.add(item.id);
        const prev = known.get(item.id);
        if (prev && prev.version === item.version && liveDocs.has(prev.documentId)) {
          summary.unchanged++;
          continue;
        }
        try {
          const got = await invoke(sandbox, "connector", "fetch", { id: item.id }, config);
          const out = await uploadDocument({
            ctx,
            input: {
              kbId: b.kbId,
              bytes: Buffer.from(got.bytes, "base64"),
              filename: got.name || item.name,
              contentType: got.mediaType,
              externalId: item.id,
            },
          });
          if (!prev) summary.added++;
          else if (out.deduplicated && liveDocs.has(prev.documentId)) summary.unchanged++;
          else summary.updated++;
          const values = { version: item.version, documentId: out.documentId, seenAt: new Date() };
          await db
            .insert(connectorItems)
            .values({ bindingId: b.id, itemId: item.id, ...values })
            .onConflictDoUpdate({ target: [connectorItems.bindingId, connectorItems.itemId], set: values });
        } catch (err) {
          fail(item.id, err);
        }
        if (!(await renew(db, lease, cursor))) {
          lost = true;
          break pages;
        }
      }
      cursor = page.cursor;
      if (!cursor) {
        summary.complete = true;
        break;
      }
      if (!(await renew(db, lease, cursor))) {
        lost = true;
        break;
      }
    }
    if (summary.complete && !lost) {
      for (const [itemId, row] of known) {
        if (seen.has(itemId)) continue;
        try {
          if (liveDocs.has(row.documentId)) await deleteDocument({ ctx, input: { id: row.documentId } });
          await db
            .delete(connectorItems)
            .where(and(eq(connectorItems.bindingId, b.id), eq(connectorItems.itemId, itemId)));
          summary.deleted++;
        } catch (err) {
          fail(itemId, err);
        }
      }
    }
  } catch (err) {
    listingFailed = true;
    fail(null, err);
  }
  summary.finishedAt = new Date().toISOString();
  if (!lost) await finish(deps, lease, summary, listingFailed);
  return summary;
}

/** Records the run and lets go of the lease; the next scheduled run is one interval after this one. */
async function finish(deps: AppDeps, lease: Lease, summary: ConnectorRunSummary, listingFailed: boolean) {
  const b = lease.binding;
  const now = new Date();
  await deps.database.db
    .update(connectorBindings)
    .set({
      state: listingFailed ? "failed" : "idle",
      leaseUntil: null,
      cursor: null,
      lastRun: summary,
      nextRunAt: b.intervalSeconds != null ? new Date(now.getTime() + b.intervalSeconds * 1000) : null,
      updatedAt: now,
    })
    .where(and(eq(connectorBindings.id, b.id), eq(connectorBindings.leaseUntil, lease.until)));
  await recordAudit(deps.database.db, {
    tenantId: b.tenantId,
    actorKeyId: b.id,
    action: "connector.run",
    resourceType: "connector",
    resourceId: b.id,
    kbIds: [b.kbId],
    detail: {
      trigger: summary.trigger,
      added: summary.added,
      updated: summary.updated,
      unchanged: summary.unchanged,
      deleted: summary.deleted,
      failed: summary.failed,
      complete: summary.complete,
    },
  });
}
