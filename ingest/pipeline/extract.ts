import { asc, eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { chunks, documents, documentVersions } from "../../src/db/schema.js";
import { chunkDocument } from "../chunker/index.js";
import { ParseError, parseDocument } from "../parsers/index.js";
import type { Chunk, DocFormat } from "../types.js";
import { CHUNK_INSERT_BATCH, type PipelineDeps } from "./deps.js";
import type { LoadedJob } from "./load.js";

export interface Extracted {
  title: string;
  chunks: Chunk[];
}

/**
 * Parse and chunk, or reuse the chunk rows of an earlier attempt: chunk rows and the version's chunk
 * count are written in one transaction, so a count means the rows are complete.
 */
export async function extractChunks(
  deps: PipelineDeps,
  job: LoadedJob,
  timings: Record<string, number>,
): Promise<Extracted> {
  const { db } = deps.database;
  if (job.version.chunks !== null) {
    const rows = await db
      .select()
      .from(chunks)
      .where(eq(chunks.versionId, job.version.id))
      .orderBy(asc(chunks.ordinal));
    if (rows.length === job.version.chunks) {
      return { title: job.document.title, chunks: rows.map(({ versionId, tenantId, ...c }) => c) };
    }
  }

  let started = performance.now();
  const bytes = await deps.blobs.get(job.version.blobKey);
  const parsed = await parseDocument(bytes, job.version.format as DocFormat);
  timings.parse_ms = Math.round(performance.now() - started);
  const pages = parsed.pages.length || null;
  await db
    .update(documentVersions)
    .set({ pages, pagesParsed: pages ?? 1 })
    .where(eq(documentVersions.id, job.version.id));

  started = performance.now();
  const pieces = chunkDocument(parsed, { chunkSize: job.kb.chunkSize, chunkOverlap: job.kb.chunkOverlap });
  timings.chunk_ms = Math.round(performance.now() - started);
  if (pieces.length === 0) {
    throw new ParseError(
      "empty",
      "The document contains no text to index. Upload a document that has text in it.",
    );
  }
  const title = parsed.title?.trim() || job.document.title;

  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.delete(chunks).where(eq(chunks.versionId, job.version.id));
    for (let i = 0; i < pieces.length; i += CHUNK_INSERT_BATCH) {
      await t.insert(chunks).values(
        pieces.slice(i, i + CHUNK_INSERT_BATCH).map((c) => ({
          versionId: job.version.id,
          tenantId: job.version.tenantId,
          ordinal: c.ordinal,
          text: c.text,
          charStart: c.charStart,
          charEnd: c.charEnd,
          pageStart: c.pageStart,
          pageEnd: c.pageEnd,
          headingPath: c.headingPath,
          tokens: c.tokens,
        })),
      );
    }
    await t
      .update(documentVersions)
      .set({ chunks: pieces.length, chunksEmbedded: 0, chunksIndexed: 0, timings })
      .where(eq(documentVersions.id, job.version.id));
    // The newest version names the document (a retry resumes from chunk rows and reads it back here).
    const newest = job.document.latestVersionId === job.version.id;
    if (newest && title !== job.document.title)
      await t.update(documents).set({ title }).where(eq(documents.id, job.document.id));
  });
  return { title, chunks: pieces };
}
