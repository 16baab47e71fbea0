import { inArray } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { documents } from "../../db/schema.js";

export interface FileRef {
  fileId: string;
  filename: string;
}

/**
 * How the OpenAI door names documents: by their file id when they came in through /v1/files, else by
 * the document id (native uploads), and by their file name. Callers pass a fallback name for documents
 * deleted since retrieval.
 */
export async function fileRefs(ctx: ServiceCtx, documentIds: string[]): Promise<Map<string, FileRef>> {
  const ids = [...new Set(documentIds)];
  const rows = ids.length
    ? await ctx.deps.database.db
        .select({ id: documents.id, externalId: documents.externalId, filename: documents.filename })
        .from(documents)
        .where(inArray(documents.id, ids))
    : [];
  return new Map(rows.map((r) => [r.id, { fileId: r.externalId ?? r.id, filename: r.filename }]));
}
