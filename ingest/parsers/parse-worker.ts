/**
 * Parsing and chunking of DOCX, HTML, Markdown and text on a worker thread (see parse-pool.ts), so a
 * hostile document costs this thread's heap and time limits, never the service's event loop. Like
 * pdf-worker.ts, Node runs this file with its own type stripping and without the tsx loader, so
 * everything it loads must be erasable TypeScript (no parameter properties, enums or namespaces).
 *
 * Chunking runs here too: it is linear, but on a 20-million-character text it still takes seconds,
 * which the event loop serving requests must not spend. Chunks go back in batches, so no single
 * chunk message costs the receiving thread more than a few milliseconds to read. The text itself goes
 * back once (it is stored whole), as a single string, which is cheap to copy.
 */
import { registerHooks } from "node:module";
import { parentPort } from "node:worker_threads";
import type { Chunk, ChunkingOptions, DocFormat, ParsedDocument } from "../types.js";
import type { ArchiveCaps, ArchiveResult } from "./archive.js";

export interface ParseJob {
  id: number;
  format: Exclude<DocFormat, "pdf">;
  data: Uint8Array;
  /** null: parse only (the pages then pass through text-filter plugins and come back as `doc`). */
  chunking: ChunkingOptions | null;
  /** An already-read document to chunk (a loader plugin's pages, or filtered pages); `data` is empty. */
  doc?: ParsedDocument;
  /** The Content-Type given at upload: its charset decides how HTML, Markdown and text are decoded. */
  contentType?: string | null;
}

/**
 * Many small documents in one message (the batch pipeline): one thread hop for all of them. Each
 * document succeeds or fails on its own; the reply carries every result at once.
 */
export interface ParseBatchJob {
  id: number;
  batch: Omit<ParseJob, "id">[];
}

/** A zip of documents to unpack under caps (bulk import); answered with one "archive" message. */
export interface UnpackJob {
  id: number;
  archive: Uint8Array;
  caps: ArchiveCaps;
}

export type BatchItemResult =
  | { ok: true; title: string | null; text: string; pages: ParsedDocument["pages"]; chunks: Chunk[] }
  /** `code` is a ParseError's; without one the failure was not the document's (retried alone). */
  | { ok: false; code: string | null; message: string };

export type ParseMessage =
  /**
   * Once, before the first chunks: the document's own title, its whole text (what chunk offsets point
   * into, stored for GET /v1/documents/{id}/text) and its page extents (empty for unpaged formats).
   */
  | {
      id: number;
      type: "parsed";
      title: string | null;
      text: string;
      pages: ParsedDocument["pages"];
      headings: ParsedDocument["headings"];
    }
  | { id: number; type: "chunks"; chunks: Chunk[] }
  | { id: number; type: "done"; chunks: number }
  /** The document broke a rule (ParseError): a stable code and the user's message. */
  | { id: number; type: "rejected"; code: string; message: string }
  /** Anything else: a bug or an environment failure, not the document's fault. */
  | { id: number; type: "failed"; message: string }
  | { id: number; type: "batch"; results: BatchItemResult[] }
  | { id: number; type: "archive"; result: ArchiveResult };

/** Chunks per message: ~400 KB of text at 400-token chunks. */
const CHUNKS_PER_MESSAGE = 200;

// The project's modules import each other as "./x.js" (what tsc wants); the files are "./x.ts".
registerHooks({
  resolve(specifier, context, next) {
    if (/^\.\.?\/.*\.js$/.test(specifier) && context.parentURL?.endsWith(".ts")) {
      try {
        return next(`${specifier.slice(0, -3)}.ts`, context);
      } catch {
        // Not a TypeScript module after all: resolve it as written.
      }
    }
    return next(specifier, context);
  },
});
const { parseDocx, isStackOverflow } = await import("./docx.js");
const { parseHtml } = await import("./html.js");
const { parseMarkdown } = await import("./markdown.js");
const { parseText } = await import("./text.js");
const { ParseError, tooComplex, tooLarge } = await import("./errors.js");
const { contentTypeCharset } = await import("./decode.js");
const { MAX_TEXT_CHARS } = await import("./limits.js");
const { unpackArchive } = await import("./archive.js");
const { chunkDocument } = await import("../chunker/index.js");
const { warmTokenCounter } = await import("../chunker/tokens.js");
warmTokenCounter();

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run on a worker thread (see parse-pool.ts)");

port.on("message", (job: ParseJob | ParseBatchJob | UnpackJob) => {
  const post = (m: ParseMessage) => port.postMessage(m);
  if ("archive" in job) {
    try {
      const result = unpackArchive(job.archive, job.caps);
      // Each entry gets its own buffer (a stored entry is a view into the archive), moved, not copied.
      const transfer: ArrayBuffer[] = [];
      if (result.ok) {
        for (const item of result.items) {
          if ("data" in item) {
            item.data = item.data.slice();
            transfer.push(item.data.buffer as ArrayBuffer);
          }
        }
      }
      port.postMessage({ id: job.id, type: "archive", result } satisfies ParseMessage, transfer);
    } catch (error) {
      post({ id: job.id, type: "failed", message: String(error) });
    }
    return;
  }
  if ("batch" in job) {
    runBatch(job).then(
      (results) => post({ id: job.id, type: "batch", results }),
      (error: unknown) => post({ id: job.id, type: "failed", message: String(error) }),
    );
    return;
  }
  run(job, post).catch((error: unknown) => {
    if (isStackOverflow(error)) {
      error = tooComplex(
        "The document nests its content too deeply to read (the limit on nesting depth)",
        "Simplify its structure (or save it as plain text) and upload it again.",
      );
    }
    if (error instanceof ParseError)
      post({ id: job.id, type: "rejected", code: error.code, message: error.message });
    else
      post({ id: job.id, type: "failed", message: error instanceof Error ? error.message : String(error) });
  });
});

async function runBatch(job: ParseBatchJob): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (const item of job.batch) {
    try {
      const doc = await parseChecked({ id: job.id, ...item });
      const chunks = item.chunking ? chunkDocument(doc, item.chunking) : [];
      results.push({ ok: true, title: doc.title, text: doc.text, pages: doc.pages, chunks });
    } catch (error) {
      let e = error;
      if (isStackOverflow(e)) {
        e = tooComplex(
          "The document nests its content too deeply to read (the limit on nesting depth)",
          "Simplify its structure (or save it as plain text) and upload it again.",
        );
      }
      if (e instanceof ParseError) results.push({ ok: false, code: e.code, message: e.message });
      else results.push({ ok: false, code: null, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

async function run(job: ParseJob, post: (m: ParseMessage) => void): Promise<void> {
  const { id } = job;
  const doc = job.doc ?? (await parseChecked(job));
  post({ id, type: "parsed", title: doc.title, text: doc.text, pages: doc.pages, headings: doc.headings });
  if (!job.chunking) {
    post({ id, type: "done", chunks: 0 });
    return;
  }
  const chunks = chunkDocument(doc, job.chunking);
  for (let i = 0; i < chunks.length; i += CHUNKS_PER_MESSAGE) {
    post({ id, type: "chunks", chunks: chunks.slice(i, i + CHUNKS_PER_MESSAGE) });
  }
  post({ id, type: "done", chunks: chunks.length });
}

async function parseChecked(job: ParseJob): Promise<ParsedDocument> {
  const doc = await parse(job);
  if (doc.text.length > MAX_TEXT_CHARS) {
    throw tooLarge(
      `The document has ${doc.text.length.toLocaleString("en")} characters of text; at most ${MAX_TEXT_CHARS.toLocaleString("en")} are accepted (the limit on text per document)`,
      "Split it into smaller files and upload those.",
    );
  }
  return doc;
}

function parse(job: ParseJob): Promise<ParsedDocument> | ParsedDocument {
  switch (job.format) {
    case "docx":
      return parseDocx(job.data);
    case "html":
      return parseHtml(job.data, { contentType: job.contentType });
    case "markdown":
      return parseMarkdown(job.data, contentTypeCharset(job.contentType));
    case "text":
      return parseText(job.data, contentTypeCharset(job.contentType));
    default:
      throw new ParseError(
        "unsupported_type",
        `Documents of type "${String(job.format)}" cannot be ingested.`,
      );
  }
}
