/**
 * A vector store's files are the knowledge base's documents: attaching a file uploads its bytes as a
 * document whose external_id is the file id (so the file id names it at both doors), with the
 * file's attributes as the document's metadata (search filters).
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage } from "../../db/paging.js";
import { documents, documentVersions } from "../../db/schema.js";
import type { MetaValue } from "../../vector/types.js";
import { deleteDocument } from "../documents/delete.js";
import { ingestionOf } from "../documents/ingestion.js";
import { uploadDocument } from "../documents/upload.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { getFile } from "../files/files.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";

export type StoreFileStatus = "in_progress" | "completed" | "failed" | "cancelled";

export interface StoreFile {
  fileId: string;
  documentId: string;
  kbId: string;
  status: StoreFileStatus;
  error: { code: string; message: string } | null;
  bytes: number;
  attributes: Record<string, MetaValue>;
  createdAt: Date;
  chunkSize: number;
  chunkOverlap: number;
}

export function statusOf(ingestion: string | null | undefined): StoreFileStatus {
  if (ingestion === "ready") return "completed";
  if (ingestion === "failed") return "failed";
  return "in_progress";
}

type Row = { document: typeof documents.$inferSelect; version: typeof documentVersions.$inferSelect | null };

function toStoreFile(r: Row, kb: { chunkSize: number; chunkOverlap: number }): StoreFile {
  const v = r.version;
  return {
    fileId: r.document.externalId ?? r.document.id,
    documentId: r.document.id,
    kbId: r.document.kbId,
    status: statusOf(v?.status),
    error:
      v?.status === "failed" ? { code: v.errorCode ?? "server_error", message: v.errorMessage ?? "" } : null,
    bytes: v?.sizeBytes ?? 0,
    attributes: r.document.metadata,
    createdAt: r.document.createdAt,
    chunkSize: kb.chunkSize,
    chunkOverlap: kb.chunkOverlap,
  };
}

export interface StaticChunking {
  maxChunkSizeTokens: number;
  chunkOverlapTokens: number;
}

/** A static chunking strategy must match the store's: chunking is a knowledge-base setting here. */
function checkChunking(
  kb: { chunkSize: number; chunkOverlap: number },
  chunking: StaticChunking | undefined,
) {
  if (!chunking) return;
  if (chunking.maxChunkSizeTokens !== kb.chunkSize || chunking.chunkOverlapTokens !== kb.chunkOverlap) {
    throw new ValidationError(
      `This vector store chunks at ${kb.chunkSize} tokens with ${kb.chunkOverlap} overlap; every file in it is chunked the same way. Send that static strategy (or none), or create a vector store with the chunking you want.`,
      [{ field: "chunking_strategy.static", message: `use ${kb.chunkSize}/${kb.chunkOverlap}` }],
    );
  }
}

export async function attachFile({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; fileId: string; attributes?: Record<string, MetaValue>; chunking?: StaticChunking };
}): Promise<StoreFile> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  checkChunking(kb, input.chunking);
  const file = await getFile({ ctx, input: { id: input.fileId } });
  const bytes = await ingestionOf(ctx).blobs.get(file.blobKey);
  await uploadDocument({
    ctx,
    input: {
      kbId: kb.id,
      bytes,
      filename: file.filename,
      externalId: file.id,
      ...(input.attributes ? { metadata: input.attributes } : {}),
    },
  });
  return getStoreFile({ ctx, input: { kbId: kb.id, fileId: file.id } });
}

async function findRows(ctx: ServiceCtx, kbId: string, fileIds: string[]): Promise<Row[]> {
  if (fileIds.length === 0) return [];
  return ctx.deps.database.db
    .select({ document: documents, version: documentVersions })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId))
    .where(
      and(
        eq(documents.tenantId, ctx.auth.tenantId),
        eq(documents.kbId, kbId),
        // Documents uploaded at the native door have no file id: their document id names them.
        sql`coalesce(${documents.externalId}, ${documents.id}) in ${fileIds}`,
      ),
    );
}

export async function getStoreFile({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; fileId: string };
}): Promise<StoreFile> {
  const kb = await loadVisibleKb(ctx.deps.database.db, ctx, input.kbId);
  const [row] = await findRows(ctx, kb.id, [input.fileId]);
  if (!row) throw new NotFoundError("File", `${input.fileId} in vector store ${input.kbId}`);
  return toStoreFile(row, kb);
}

/** Files of a batch (or any list of file ids), in the order given; missing ones are left out. */
export async function storeFilesById(ctx: ServiceCtx, kbId: string, fileIds: string[]): Promise<StoreFile[]> {
  const kb = await loadVisibleKb(ctx.deps.database.db, ctx, kbId);
  const rows = await findRows(ctx, kb.id, fileIds);
  const byId = new Map(rows.map((r) => [r.document.externalId ?? r.document.id, toStoreFile(r, kb)]));
  return fileIds.flatMap((id) => byId.get(id) ?? []);
}

const INGESTION_STATUSES: Record<StoreFileStatus, string[]> = {
  in_progress: ["queued", "processing"],
  completed: ["ready"],
  failed: ["failed"],
  cancelled: [],
};

export async function listStoreFiles({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; limit: number; after?: string; status?: StoreFileStatus };
}) {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  // `after` names a file (the document's external id); the page continues after its document.
  const [anchor] = input.after ? await findRows(ctx, kb.id, [input.after]) : [];
  const query = db
    .select({ document: documents, version: documentVersions })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId));
  const { items, hasMore } = await keysetPage(
    query.$dynamic(),
    { limit: input.limit, cursor: anchor?.document.id },
    {
      by: documents.id,
      where: [
        eq(documents.tenantId, ctx.auth.tenantId),
        eq(documents.kbId, kb.id),
        input.status
          ? inArray(documentVersions.status, [...INGESTION_STATUSES[input.status], ""])
          : undefined,
      ],
      cursorOf: (row) => row.document.id,
    },
  );
  return { items: items.map((r) => toStoreFile(r, kb)), hasMore };
}

export async function updateStoreFileAttributes({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; fileId: string; attributes: Record<string, MetaValue> };
}): Promise<StoreFile> {
  const current = await getStoreFile({ ctx, input });
  if (current.status === "in_progress") {
    throw new ConflictError(
      "The file is still being indexed; its attributes are written into the index with it. Retry once it is completed.",
    );
  }
  // Attributes live on every indexed chunk, so changing them re-indexes the document's bytes.
  const file = await getFile({ ctx, input: { id: input.fileId } });
  await deleteDocument({ ctx, input: { id: current.documentId } });
  return attachFile({ ctx, input: { kbId: input.kbId, fileId: file.id, attributes: input.attributes } });
}

export async function detachFile({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; fileId: string };
}) {
  const current = await getStoreFile({ ctx, input });
  await deleteDocument({ ctx, input: { id: current.documentId } });
  return current;
}

/** How many documents of the store are in each state, for the store's file_counts. */
export async function fileCounts(ctx: ServiceCtx, kbIds: string[]) {
  const counts = new Map<string, { in_progress: number; completed: number; failed: number; bytes: number }>();
  if (kbIds.length === 0) return counts;
  const rows = await ctx.deps.database.db
    .select({
      kbId: documents.kbId,
      status: documentVersions.status,
      n: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${documentVersions.sizeBytes}), 0)::bigint`,
    })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId))
    .where(
      and(eq(documents.tenantId, ctx.auth.tenantId), inArray(documents.kbId, kbIds), isNotNull(documents.id)),
    )
    .groupBy(documents.kbId, documentVersions.status);
  for (const r of rows) {
    const c = counts.get(r.kbId) ?? { in_progress: 0, completed: 0, failed: 0, bytes: 0 };
    c[statusOf(r.status) as "in_progress" | "completed" | "failed"] += Number(r.n);
    c.bytes += Number(r.bytes);
    counts.set(r.kbId, c);
  }
  return counts;
}
