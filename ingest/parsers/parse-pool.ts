import { Worker } from "node:worker_threads";
import type { Chunk, ChunkingOptions, DocFormat, ParsedDocument } from "../types.js";
import type { ArchiveCaps, ArchiveResult } from "./archive.js";
import { ParseError, resourceLimit } from "./errors.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "./limits.js";
import type { BatchItemResult, ParseBatchJob, ParseJob, ParseMessage, UnpackJob } from "./parse-worker.js";

/** ".ts" from source, ".js" once compiled by `npm run build`: the thread's file sits beside this one. */
// A function, not a constant: the edge bundle imports this module (through the upload routes) where
// import.meta.url is not a file URL; threads are only started under Node.
const moduleExt = () => (import.meta.url.endsWith(".ts") ? ".ts" : ".js");
/** An idle parse thread nobody holds is stopped after this long, giving its memory back. */
const IDLE_MS = 15_000;
/** A smaller young generation than V8's default keeps an idle thread's resident memory low. */
const YOUNG_HEAP_MB = 16;

export interface IsolatedParseOptions {
  chunking: ChunkingOptions;
  limits?: ParseLimits;
  /** The Content-Type given at upload; its charset decides how text formats are decoded (after a BOM). */
  contentType?: string | null;
  /**
   * Called once, before the first chunks, with the document's own title (if any), its whole text
   * (what chunk offsets point into) and its page extents (empty for unpaged formats).
   */
  onParsed(info: {
    title: string | null;
    text: string;
    pages: ParsedDocument["pages"];
    headings: ParsedDocument["headings"];
  }): void;
  /** Chunks in order, in batches. */
  onChunks(chunks: Chunk[]): void;
}

interface Slot {
  worker: Worker;
  heapMb: number;
  busy: boolean;
  idleTimer: NodeJS.Timeout | null;
}

const slots = new Set<Slot>();
let nextId = 1;
let holders = 0;

/**
 * Parses and chunks a non-PDF document on a worker thread of its own, under a heap limit and a wall
 * time limit: a document that breaks either fails with `resource_limit` (naming the limit) and its
 * thread is thrown away, so the next document gets a fresh one. Each thread runs one document at a
 * time; threads are started as needed and kept briefly for the next document. Resolves with the
 * number of chunks; rejects with ParseError for anything the document did.
 */
export function parseIsolated(
  bytes: Uint8Array,
  format: Exclude<DocFormat, "pdf">,
  opts: IsolatedParseOptions,
): Promise<{ chunks: number }> {
  const data = bytes.slice();
  const job = { format, data, chunking: opts.chunking, contentType: opts.contentType ?? null };
  return runIsolated(job, opts);
}

/**
 * Runs one parse job on a thread of its own (see parseIsolated); parse-prepared.ts sends the jobs that
 * read without chunking or chunk an already-read document.
 */
export function runIsolated(
  job: Omit<ParseJob, "id">,
  opts: Omit<IsolatedParseOptions, "chunking">,
): Promise<{ chunks: number }> {
  const limits = opts.limits ?? DEFAULT_PARSE_LIMITS;
  const slot = acquire(limits.heapMb);
  const id = nextId++;
  const data = job.data;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: { chunks: number }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off("message", onMessage);
      slot.worker.off("error", onError);
      slot.worker.off("exit", onExit);
      if (error) reject(error);
      else resolve(result!);
    };
    const discard = (error: unknown) => {
      slots.delete(slot);
      void slot.worker.terminate();
      finish(error);
    };
    const timer = setTimeout(() => {
      discard(
        resourceLimit(
          `Reading the document took longer than ${Math.round(limits.timeoutMs / 1000)} s (the limit on parse time)`,
          "Split it into smaller files, or save it in a simpler format (plain text), and upload it again.",
        ),
      );
    }, limits.timeoutMs);
    const onMessage = (m: ParseMessage) => {
      if (m.id !== id) return;
      try {
        if (m.type === "parsed") {
          opts.onParsed({ title: m.title, text: m.text, pages: m.pages, headings: m.headings });
        } else if (m.type === "chunks") opts.onChunks(m.chunks);
        else if (m.type === "done") {
          release(slot);
          finish(null, { chunks: m.chunks });
        } else if (m.type === "rejected") {
          release(slot);
          finish(new ParseError(m.code as ParseError["code"], m.message));
        } else {
          release(slot);
          finish(new Error(`parse thread: ${m.type === "failed" ? m.message : m.type}`));
        }
      } catch (error) {
        // A consumer that throws ends the document; the thread may still be busy with it.
        discard(error);
      }
    };
    const onError = (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
        discard(
          resourceLimit(
            `Reading the document needed more than ${limits.heapMb} MB of memory (the limit on parse memory)`,
            "Split it into smaller files and upload those.",
          ),
        );
      } else discard(error);
    };
    // The thread died without saying why (a native crash): the document made it, so it is not retried.
    const onExit = (code: number) =>
      discard(
        resourceLimit(
          `The parser stopped while reading the document (exit code ${code})`,
          "Re-save the document (or export it as PDF or plain text) and upload it again.",
        ),
      );
    slot.worker.on("message", onMessage);
    slot.worker.on("error", onError);
    slot.worker.on("exit", onExit);
    slot.worker.postMessage({ ...job, id } satisfies ParseJob, [data.buffer as ArrayBuffer]);
  });
}

export interface BatchParseItem {
  bytes: Uint8Array;
  format: Exclude<DocFormat, "pdf">;
  chunking: ChunkingOptions;
  contentType?: string | null;
}

/**
 * Parses and chunks many small documents on one parse thread in one message (the batch pipeline's
 * way to avoid a thread hop per document), under the same heap limit and one wall-time limit for
 * the lot. Each document's own failure comes back as its result; a thread that breaks a limit
 * rejects the whole call (resource_limit), and the caller retries those documents one at a time,
 * where the guilty one fails alone.
 */
export function parseIsolatedBatch(
  items: BatchParseItem[],
  opts: { limits?: ParseLimits } = {},
): Promise<BatchItemResult[]> {
  const limits = opts.limits ?? DEFAULT_PARSE_LIMITS;
  const slot = acquire(limits.heapMb);
  const id = nextId++;
  const batch: ParseBatchJob["batch"] = items.map((i) => ({
    format: i.format,
    data: new Uint8Array(i.bytes),
    chunking: i.chunking,
    contentType: i.contentType ?? null,
  }));
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, results?: BatchItemResult[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off("message", onMessage);
      slot.worker.off("error", onError);
      slot.worker.off("exit", onExit);
      if (error) reject(error);
      else resolve(results!);
    };
    const discard = (error: unknown) => {
      slots.delete(slot);
      void slot.worker.terminate();
      finish(error);
    };
    const timer = setTimeout(
      () =>
        discard(new Error(`parsing a batch of ${items.length} documents took over ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    const onMessage = (m: ParseMessage) => {
      if (m.id !== id) return;
      release(slot);
      if (m.type === "batch") finish(null, m.results);
      else finish(new Error(`parse thread: ${m.type === "failed" ? m.message : m.type}`));
    };
    const onError = (error: Error) => discard(error);
    const onExit = (code: number) => discard(new Error(`parse thread exited (code ${code})`));
    slot.worker.on("message", onMessage);
    slot.worker.on("error", onError);
    slot.worker.on("exit", onExit);
    slot.worker.postMessage(
      { id, batch } satisfies ParseBatchJob,
      batch.map((b) => b.data.buffer as ArrayBuffer),
    );
  });
}

/**
 * Unpacks a zip of documents (bulk import) on a parse thread under `caps` and the parse heap and time
 * limits: an archive that breaks a thread limit is refused with resource_limit (a ParseError), never
 * the service's memory or event loop.
 */
export function unpackIsolated(
  archive: Uint8Array,
  caps: ArchiveCaps,
  opts: { limits?: ParseLimits } = {},
): Promise<ArchiveResult> {
  const limits = opts.limits ?? DEFAULT_PARSE_LIMITS;
  const slot = acquire(limits.heapMb);
  const id = nextId++;
  // A copy of its own (new Uint8Array copies even from a Buffer, whose slice() would be a view), moved to the thread.
  const data = new Uint8Array(archive);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: ArchiveResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off("message", onMessage);
      slot.worker.off("error", onError);
      slot.worker.off("exit", onExit);
      if (error) reject(error);
      else resolve(result!);
    };
    const discard = (error: unknown) => {
      slots.delete(slot);
      void slot.worker.terminate();
      finish(error);
    };
    const timer = setTimeout(
      () =>
        discard(
          resourceLimit(
            `Unpacking the archive took longer than ${Math.round(limits.timeoutMs / 1000)} s`,
            "Split it into smaller archives.",
          ),
        ),
      limits.timeoutMs,
    );
    const onMessage = (m: ParseMessage) => {
      if (m.id !== id) return;
      release(slot);
      if (m.type === "archive") finish(null, m.result);
      else finish(new Error(`parse thread: ${m.type === "failed" ? m.message : m.type}`));
    };
    const onError = () =>
      discard(
        resourceLimit(
          `Unpacking the archive needed more than ${limits.heapMb} MB of memory`,
          "Split it into smaller archives.",
        ),
      );
    const onExit = (code: number) => discard(new Error(`parse thread exited (code ${code})`));
    slot.worker.on("message", onMessage);
    slot.worker.on("error", onError);
    slot.worker.on("exit", onExit);
    slot.worker.postMessage({ id, archive: data, caps } satisfies UnpackJob, [data.buffer as ArrayBuffer]);
  });
}

/**
 * Keeps one parse thread started (and warm: parsers and token counter loaded) until released, so
 * the first document after a quiet spell does not wait for it. Processes that run the pipeline hold it.
 */
export function holdParseThread(limits: ParseLimits = DEFAULT_PARSE_LIMITS): () => void {
  holders++;
  if (slots.size === 0) release(acquire(limits.heapMb));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    for (const slot of slots) if (!slot.busy) scheduleStop(slot);
  };
}

/** Live parse threads (for tests: a thread that broke a limit is gone, not reused). */
export function parseThreadCount(): number {
  return slots.size;
}

function acquire(heapMb: number): Slot {
  for (const slot of slots) {
    if (!slot.busy && slot.heapMb === heapMb) {
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.busy = true;
      slot.worker.ref();
      return slot;
    }
  }
  // execArgv: [] keeps tsx out of the thread (see pdf-worker.ts for what it costs there).
  const worker = new Worker(new URL(`./parse-worker${moduleExt()}`, import.meta.url), {
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_HEAP_MB },
  });
  const slot: Slot = { worker, heapMb, busy: true, idleTimer: null };
  // A thread that dies while idle is simply forgotten; one that dies mid-document is handled there.
  worker.on("exit", () => slots.delete(slot));
  worker.on("error", () => slots.delete(slot));
  slots.add(slot);
  return slot;
}

function release(slot: Slot): void {
  slot.busy = false;
  // Unreferenced while idle: a thread with no work must not keep the process alive.
  slot.worker.unref();
  scheduleStop(slot);
}

function scheduleStop(slot: Slot): void {
  if (slot.idleTimer) clearTimeout(slot.idleTimer);
  slot.idleTimer = null;
  // The held thread stays; extra idle threads go after IDLE_MS.
  const idle = [...slots].filter((s) => !s.busy);
  if (holders > 0 && idle[0] === slot) return;
  slot.idleTimer = setTimeout(() => {
    if (slot.busy || !slots.has(slot)) return;
    slots.delete(slot);
    void slot.worker.terminate();
  }, IDLE_MS);
  slot.idleTimer.unref();
}
