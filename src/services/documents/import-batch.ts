import { and, asc, eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { documentVersions, importBatches } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { NotFoundError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import type { BulkImportResult } from "./bulk-result.js";

/** Errors kept on a batch and returned by its status: enough to act on, bounded in size. */
export const BATCH_ERRORS_KEPT = 1_000;

const VERSION_STATUSES = ["queued", "processing", "ready", "failed", "superseded"] as const;
type VersionStatus = (typeof VERSION_STATUSES)[number];

/** Records a bulk import as it starts reading, so its status can be asked for by id. */
export async function openImportBatch(
  ctx: ServiceCtx,
  kbId: string,
  source: "jsonl" | "zip",
): Promise<string> {
  const id = newId("imp");
  await ctx.deps.database.db.insert(importBatches).values({
    id,
    tenantId: ctx.auth.tenantId,
    kbId,
    keyId: ctx.auth.keyId,
    source,
    state: "reading",
  });
  return id;
}

/** What reading found, once every line or entry was taken in (or the import stopped). */
export async function closeImportBatch(
  ctx: ServiceCtx,
  result: BulkImportResult,
  state: "read" | "aborted",
): Promise<void> {
  const deduplicated = result.documents.filter((d) => d.deduplicated).length;
  await ctx.deps.database.db
    .update(importBatches)
    .set({
      state,
      items: result.lines,
      accepted: result.documents.length - deduplicated,
      deduplicated,
      rejected: result.errors.length,
      errors: result.errors.slice(0, BATCH_ERRORS_KEPT),
      finishedAt: new Date(),
    })
    .where(eq(importBatches.id, result.batchId));
}

export interface ImportBatchError {
  line: number | null;
  entry: string | null;
  code: string;
  message: string;
  documentId: string | null;
}

export interface ImportBatchStatus {
  id: string;
  kbId: string;
  source: string;
  state: string;
  createdAt: Date;
  finishedAt: Date | null;
  items: number;
  accepted: number;
  deduplicated: number;
  rejected: number;
  documents: Record<VersionStatus, number>;
  done: boolean;
  errors: ImportBatchError[];
  errorsTruncated: boolean;
}

/**
 * One bulk import's status: what reading found (lines or entries refused, with their numbers and
 * names) and its new versions by status, with the ones that failed ingestion and why. `done` once
 * reading ended and none of its versions is queued or processing.
 */
export async function getImportBatch({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; batchId: string };
}): Promise<ImportBatchStatus> {
  const { db } = ctx.deps.database;
  await loadVisibleKb(db, ctx, input.kbId);
  const [batch] = await db
    .select()
    .from(importBatches)
    .where(
      and(
        eq(importBatches.id, input.batchId),
        eq(importBatches.tenantId, ctx.auth.tenantId),
        eq(importBatches.kbId, input.kbId),
      ),
    )
    .limit(1);
  if (!batch) throw new NotFoundError("Import batch", input.batchId);
  const counts = await db
    .select({ status: documentVersions.status, n: sql<number>`count(*)::int` })
    .from(documentVersions)
    .where(eq(documentVersions.batchId, batch.id))
    .groupBy(documentVersions.status);
  const documents = Object.fromEntries(VERSION_STATUSES.map((s) => [s, 0])) as Record<VersionStatus, number>;
  for (const c of counts) if (c.status in documents) documents[c.status as VersionStatus] = Number(c.n);
  const room = Math.max(0, BATCH_ERRORS_KEPT - batch.errors.length);
  const failed = await db
    .select({
      documentId: documentVersions.documentId,
      line: documentVersions.batchLine,
      entry: documentVersions.batchEntry,
      code: documentVersions.errorCode,
      message: documentVersions.errorMessage,
    })
    .from(documentVersions)
    .where(and(eq(documentVersions.batchId, batch.id), eq(documentVersions.status, "failed")))
    .orderBy(asc(documentVersions.batchLine))
    .limit(room + 1);
  const errors: ImportBatchError[] = [
    ...batch.errors.map((e) => ({
      line: e.line ?? null,
      entry: e.entry ?? null,
      code: e.code,
      message: e.message,
      documentId: null,
    })),
    ...failed.slice(0, room).map((f) => ({
      line: f.line,
      entry: f.entry,
      code: f.code ?? "failed",
      message: f.message ?? "",
      documentId: f.documentId,
    })),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    id: batch.id,
    kbId: batch.kbId,
    source: batch.source,
    state: batch.state,
    createdAt: batch.createdAt,
    finishedAt: batch.finishedAt,
    items: batch.items,
    accepted: batch.accepted,
    deduplicated: batch.deduplicated,
    rejected: batch.rejected,
    documents,
    done: batch.state !== "reading" && documents.queued === 0 && documents.processing === 0,
    errors,
    errorsTruncated: batch.rejected > batch.errors.length || failed.length > room,
  };
}
