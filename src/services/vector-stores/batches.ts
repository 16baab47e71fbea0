/**
 * File batches: several files attached to a vector store at once. The batch row remembers which files;
 * their states come from their documents, so a batch never disagrees with what ingestion reports.
 */
import { and, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { vectorStoreFileBatches } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { MetaValue } from "../../vector/types.js";
import { deleteDocument } from "../documents/delete.js";
import { NotFoundError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import { attachFile, type StaticChunking, type StoreFile, storeFilesById } from "./files.js";

export type BatchRow = typeof vectorStoreFileBatches.$inferSelect;

export interface BatchView {
  batch: BatchRow;
  files: StoreFile[];
  status: "in_progress" | "completed" | "cancelled" | "failed";
  counts: { in_progress: number; completed: number; failed: number; cancelled: number; total: number };
}

function view(batch: BatchRow, files: StoreFile[]): BatchView {
  const counts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: batch.fileIds.length };
  for (const f of files) counts[f.status] += 1;
  // Files whose documents a cancel removed are no longer there: they count as cancelled.
  counts.cancelled += batch.fileIds.length - files.length;
  let status: BatchView["status"] = "completed";
  if (batch.cancelledAt) status = "cancelled";
  else if (counts.in_progress > 0) status = "in_progress";
  else if (counts.completed === 0 && counts.failed > 0) status = "failed";
  return { batch, files, status, counts };
}

export async function createBatch({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: {
    kbId: string;
    files: { fileId: string; attributes?: Record<string, MetaValue> }[];
    chunking?: StaticChunking;
  };
}): Promise<BatchView> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  for (const f of input.files) {
    await attachFile({
      ctx,
      input: {
        kbId: kb.id,
        fileId: f.fileId,
        ...(f.attributes ? { attributes: f.attributes } : {}),
        ...(input.chunking ? { chunking: input.chunking } : {}),
      },
    });
  }
  const [batch] = await db
    .insert(vectorStoreFileBatches)
    .values({
      id: newId("vsfb"),
      tenantId: ctx.auth.tenantId,
      kbId: kb.id,
      fileIds: [...new Set(input.files.map((f) => f.fileId))],
    })
    .returning();
  return view(batch!, await storeFilesById(ctx, kb.id, batch!.fileIds));
}

async function loadBatch(ctx: ServiceCtx, kbId: string, batchId: string): Promise<BatchRow> {
  await loadVisibleKb(ctx.deps.database.db, ctx, kbId);
  const [batch] = await ctx.deps.database.db
    .select()
    .from(vectorStoreFileBatches)
    .where(
      and(
        eq(vectorStoreFileBatches.id, batchId),
        eq(vectorStoreFileBatches.kbId, kbId),
        eq(vectorStoreFileBatches.tenantId, ctx.auth.tenantId),
      ),
    )
    .limit(1);
  if (!batch) throw new NotFoundError("File batch", batchId);
  return batch;
}

export async function getBatch({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; batchId: string };
}) {
  const batch = await loadBatch(ctx, input.kbId, input.batchId);
  return view(batch, await storeFilesById(ctx, batch.kbId, batch.fileIds));
}

/** Stops what has not finished: files still being indexed are removed from the store (ingestion drops their work). */
export async function cancelBatch({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; batchId: string };
}) {
  const batch = await loadBatch(ctx, input.kbId, input.batchId);
  const files = await storeFilesById(ctx, batch.kbId, batch.fileIds);
  for (const f of files) {
    if (f.status === "in_progress") await deleteDocument({ ctx, input: { id: f.documentId } });
  }
  const [updated] = await ctx.deps.database.db
    .update(vectorStoreFileBatches)
    .set({ cancelledAt: batch.cancelledAt ?? new Date() })
    .where(eq(vectorStoreFileBatches.id, batch.id))
    .returning();
  return view(updated!, await storeFilesById(ctx, batch.kbId, batch.fileIds));
}
