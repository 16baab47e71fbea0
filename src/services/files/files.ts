/**
 * OpenAI-style files: original uploads held for attaching to vector stores (knowledge bases). The
 * bytes live in the same BlobStore as document uploads; a file in no vector store is never indexed.
 */
import { and, eq } from "drizzle-orm";
import { detectType, SUPPORTED_TYPES } from "../../../ingest/detect-type.js";
import type { ServiceCtx } from "../../context.js";
import { keysetPage } from "../../db/paging.js";
import { openaiFiles } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { deleteWithAudit } from "../audit/delete.js";
import { recordAudit } from "../audit/record.js";
import { ingestionOf } from "../documents/ingestion.js";
import { NotFoundError, ServiceError, ValidationError } from "../errors.js";
import { loaderFormat } from "../plugins/ingest.js";

export type FileRow = typeof openaiFiles.$inferSelect;

export const FILE_PURPOSES = ["assistants", "user_data"] as const;

export async function uploadFile({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { bytes: Uint8Array; filename: string; contentType?: string; purpose: string };
}): Promise<FileRow> {
  if (!(FILE_PURPOSES as readonly string[]).includes(input.purpose)) {
    throw new ValidationError(
      `purpose "${input.purpose}" is not supported; files here are for vector stores: use "assistants".`,
      [{ field: "purpose", message: `one of ${FILE_PURPOSES.join(", ")}` }],
    );
  }
  // Refuse what ingestion could never read now, not when the file is attached later.
  const detected = detectType(input.bytes, input.filename, input.contentType);
  if (!detected && !(await loaderFormat(ctx, input, detected))) {
    throw new ServiceError(
      "unsupported_media_type",
      `${input.filename} is not a supported document type. Supported: ${SUPPORTED_TYPES}; other formats once an administrator enables a loader plugin for them.`,
    );
  }
  const { blobs } = ingestionOf(ctx);
  const id = newId("file");
  const blobKey = `${ctx.auth.tenantId}/${id}`;
  await blobs.put(blobKey, input.bytes, { tenantId: ctx.auth.tenantId });
  const { db } = ctx.deps.database;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(openaiFiles)
      .values({
        id,
        tenantId: ctx.auth.tenantId,
        filename: input.filename,
        purpose: input.purpose,
        bytes: input.bytes.byteLength,
        blobKey,
      })
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "file.create",
      resourceType: "file",
      resourceId: id,
      detail: { filename: input.filename, bytes: input.bytes.byteLength },
      requestId: ctx.requestId,
    });
    return row!;
  });
}

export async function getFile({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }): Promise<FileRow> {
  const [row] = await ctx.deps.database.db
    .select()
    .from(openaiFiles)
    .where(and(eq(openaiFiles.id, input.id), eq(openaiFiles.tenantId, ctx.auth.tenantId)))
    .limit(1);
  if (!row) throw new NotFoundError("File", input.id);
  return row;
}

export async function fileContent({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getFile({ ctx, input });
  return { row, bytes: await ingestionOf(ctx).blobs.get(row.blobKey) };
}

/** Newest first, as OpenAI lists files; `after` is the last id of the previous page. */
export async function listFiles({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { limit: number; after?: string; purpose?: string };
}) {
  const query = ctx.deps.database.db.select().from(openaiFiles).$dynamic();
  const { items, hasMore } = await keysetPage(
    query,
    { limit: input.limit, cursor: input.after },
    {
      by: openaiFiles.id,
      order: "desc",
      where: [
        eq(openaiFiles.tenantId, ctx.auth.tenantId),
        input.purpose ? eq(openaiFiles.purpose, input.purpose) : undefined,
      ],
    },
  );
  return { items, hasMore };
}

/** Removes the file and its bytes; documents made from it in vector stores stay (they hold a copy). */
export async function deleteFile({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getFile({ ctx, input });
  await deleteWithAudit(ctx, openaiFiles, eq(openaiFiles.id, row.id), {
    action: "file.delete",
    resourceType: "file",
    resourceId: row.id,
    detail: { filename: row.filename },
  });
  await ingestionOf(ctx).blobs.delete(row.blobKey);
  return row;
}
