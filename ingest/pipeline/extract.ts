import { asc, eq } from "drizzle-orm";
import { chunks, documents, documentTexts, documentVersions } from "../../src/db/schema.js";
import { ParseError } from "../parsers/index.js";
import { DEFAULT_PARSE_LIMITS } from "../parsers/limits.js";
import { parseIsolated } from "../parsers/parse-pool.js";
import { chunkIsolated } from "../parsers/parse-prepared.js";
import { parsePdf } from "../parsers/pdf.js";
import type { Chunk, ChunkingOptions, DocFormat, ParsedDocument } from "../types.js";
import { ChunkRowWriter } from "./chunk-rows.js";
import type { PipelineDeps } from "./deps.js";
import type { ChunkIndexer } from "./index-chunks.js";
import type { LoadedJob } from "./load.js";
import { loaderOfFormat } from "./plugin-format.js";
import { pluginsUnavailable, readWithPlugins, scannedPdfLoader } from "./plugin-pages.js";

/** pages_parsed is written at most this often while a document is parsed. */
const PROGRESS_EVERY_MS = 150;

/**
 * Parses and chunks the version, handing chunks to the indexer and the chunk-row writer as soon as
 * they are final (a PDF's while its later pages are still being extracted); or reuses the rows of an
 * earlier attempt. The last chunk rows and the version's chunk count are written in one transaction,
 * and earlier rows before it, so a count means the rows are complete. Returns the title the chunks
 * were embedded with.
 */
export async function extractChunks(
  deps: PipelineDeps,
  job: LoadedJob,
  indexer: ChunkIndexer,
  timings: Record<string, number>,
): Promise<{ title: string; chunks: number }> {
  const { db } = deps.database;
  if (job.version.chunks !== null) {
    const rows = await db
      .select()
      .from(chunks)
      .where(eq(chunks.versionId, job.version.id))
      .orderBy(asc(chunks.ordinal));
    if (rows.length === job.version.chunks) {
      indexer.setTitle(job.document.title);
      indexer.push(rows.map(({ versionId, tenantId, ...c }) => c));
      return { title: job.document.title, chunks: rows.length };
    }
  }

  const chunking = { chunkSize: job.kb.chunkSize, chunkOverlap: job.kb.chunkOverlap };
  const format = job.version.format as DocFormat;
  const started = performance.now();
  const rows = new ChunkRowWriter(db, job);
  // A first attempt cannot have left rows behind; skipping the DELETE saves a round trip per document.
  if (job.version.attempts > 0) await rows.clear();
  try {
    return await produceChunks(deps, job, indexer, rows, timings, { chunking, format, started });
  } catch (err) {
    await rows.stop();
    throw err;
  }
}

async function produceChunks(
  deps: PipelineDeps,
  job: LoadedJob,
  indexer: ChunkIndexer,
  rows: ChunkRowWriter,
  timings: Record<string, number>,
  { chunking, format, started }: { chunking: ChunkingOptions; format: DocFormat; started: number },
): Promise<{ title: string; chunks: number }> {
  const { db } = deps.database;
  const consumers = {
    push(pieces: Chunk[]) {
      indexer.push(pieces);
      rows.push(pieces);
    },
    setTitle: (title: string) => indexer.setTitle(title),
  };
  const bytes = await deps.blobs.get(job.version.blobKey);
  const progress = pageProgress(deps, job.version.id);
  const limits = deps.parseLimits ?? DEFAULT_PARSE_LIMITS;
  // Nothing here parses: a PDF is read on its extraction thread and chunked here as pages arrive
  // (linear work in small steps); every other format is parsed and chunked on a parse thread. With
  // plugins (a loader's format, text filters, a scanned PDF), the document is read whole in the
  // plugin's sandbox or a thread, filtered, then chunked on a parse thread.
  // Either way chunks are embedded and indexed while later ones are still being made.
  let count = 0;
  let title = job.document.title;
  let pages: number | null = null;
  // The whole text and its page extents, stored for GET /v1/documents/{id}/text.
  let text = "";
  let extents: ParsedDocument["pages"] = [];
  const take = (pieces: Chunk[]) => {
    count += pieces.length;
    consumers.push(pieces);
  };
  const read = (info: { title: string | null; text: string; pages: ParsedDocument["pages"] }) => {
    title = info.title?.trim() || job.document.title;
    pages = info.pages.length || null;
    text = info.text;
    extents = info.pages;
    consumers.setTitle(title);
  };
  const plugins = deps.plugins;
  const filters = plugins ? await plugins.hasTextFilters(job.version.tenantId) : false;
  const loaderId = loaderOfFormat(format);
  const throughPlugins = async (loader: string | null) => {
    const doc = await readWithPlugins(plugins!, job, bytes, {
      loaderId: loader,
      filters,
      limits,
      onPage: progress.page,
    });
    await chunkIsolated(doc, { chunking, limits, onParsed: read, onChunks: take });
  };
  if (loaderId && !plugins) throw pluginsUnavailable();
  if (plugins && (loaderId || filters)) await throughPlugins(loaderId);
  else if (format === "pdf") {
    try {
      await streamPdf();
    } catch (err) {
      // A scanned PDF has no text layer; an enabled loader claiming PDFs (OCR) reads it instead.
      if (!plugins || count > 0) throw err;
      await throughPlugins(await scannedPdfLoader(plugins, job, err));
    }
  } else {
    await parseIsolated(bytes, format as Exclude<DocFormat, "pdf">, {
      chunking,
      limits,
      contentType: job.version.contentType,
      onParsed: read,
      onChunks: take,
    });
  }
  async function streamPdf() {
    const parsed = await parsePdf(bytes, {
      maxPages: limits.maxPages,
      timeoutMs: limits.timeoutMs,
      onPage: progress.page,
      chunking,
      onChunks(pieces, pdfTitle) {
        title = pdfTitle?.trim() || job.document.title;
        consumers.setTitle(title);
        take(pieces);
      },
    });
    title = parsed.title?.trim() || job.document.title;
    pages = parsed.pages.length || null;
    text = parsed.text;
    extents = parsed.pages;
  }
  await progress.done();
  timings.parse_ms = Math.round(performance.now() - started);
  const parsed = { pages, pagesParsed: pages ?? 1 };
  if (count === 0) {
    await db
      .update(documentVersions)
      .set({ ...parsed, updatedAt: new Date() })
      .where(eq(documentVersions.id, job.version.id));
    throw new ParseError(
      "empty",
      "The document contains no text to index. Upload a document that has text in it.",
    );
  }

  await rows.settle();
  await db.transaction(async (t) => {
    await rows.flushInto(t);
    // The text the chunk offsets point into, for GET /v1/documents/{id}/text.
    const stored = { tenantId: job.version.tenantId, text, pages: extents };
    await t
      .insert(documentTexts)
      .values({ versionId: job.version.id, ...stored })
      .onConflictDoUpdate({ target: documentTexts.versionId, set: stored });
    // Embedding progress is left alone: the indexer may be done with many of these chunks already.
    await t
      .update(documentVersions)
      .set({ ...parsed, chunks: count, timings, updatedAt: new Date() })
      .where(eq(documentVersions.id, job.version.id));
    // The newest version names the document (a retry resumes from chunk rows and reads it back here).
    const newest = job.document.latestVersionId === job.version.id;
    if (newest && title !== job.document.title)
      await t.update(documents).set({ title }).where(eq(documents.id, job.document.id));
  });
  return { title, chunks: count };
}

/** Writes pages_parsed as pages arrive, at most every PROGRESS_EVERY_MS and one write at a time. */
function pageProgress(deps: PipelineDeps, versionId: string) {
  let last = performance.now();
  let writing: Promise<unknown> = Promise.resolve();
  let busy = false;
  return {
    page(parsed: number, total: number) {
      const now = performance.now();
      if (busy || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      busy = true;
      writing = deps.database.db
        .update(documentVersions)
        .set({ pages: total, pagesParsed: parsed, updatedAt: new Date() })
        .where(eq(documentVersions.id, versionId))
        .catch((err: unknown) => deps.logger.warn({ err, versionId }, "page progress not saved"))
        .finally(() => {
          busy = false;
        });
    },
    done: () => writing,
  };
}
