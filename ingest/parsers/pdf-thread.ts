import { Worker } from "node:worker_threads";
import type { OutlineEntry, PdfCancel, PdfJob, PdfMessage } from "./pdf-worker.js";

/** ".ts" from source, ".js" once compiled by `npm run build`: the thread's file sits beside this one. */
// A function, not a constant: the edge bundle imports this module (through the upload routes) where
// import.meta.url is not a file URL; threads are only started under Node.
const moduleExt = () => (import.meta.url.endsWith(".ts") ? ".ts" : ".js");
/** An idle extraction thread nobody holds is stopped after this long, giving its memory back. */
const IDLE_MS = 15_000;
/**
 * Heap cap of the thread: the 352-page book needs well under 100 MB. A PDF that needs
 * more fails on its own (ERR_WORKER_OUT_OF_MEMORY) instead of pushing the whole service into swap.
 */
const MAX_HEAP_MB = 384;
/** A smaller young generation than V8's default: ~20 MB less resident while a PDF is read. */
const YOUNG_HEAP_MB = 16;

export interface PdfListener {
  onInfo(info: { total: number; title: string | null; outline: OutlineEntry[] }): void;
  /** Each page's text as extracted, in page order. */
  onPage(num: number, text: string): void;
}

export interface PdfExtraction {
  /** Letters and digits in the text, counted only up to `lettersPerPage` per page when that is set. */
  letters: number;
  /** Only determined for a PDF without a single letter. */
  hasImages: boolean;
}

/** pdf.js failed on the document itself (kind) rather than the thread failing. */
export class PdfExtractionError extends Error {
  constructor(
    readonly kind: "password" | "corrupt" | "page_too_large",
    message: string,
  ) {
    super(message);
    this.name = "PdfExtractionError";
  }
}

/** Extraction ran past its wall-time limit; the thread was stopped (and is replaced on next use). */
export class PdfTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`PDF extraction ran longer than ${timeoutMs} ms`);
    this.name = "PdfTimeoutError";
  }
}

interface Pending {
  listener: PdfListener;
  resolve(result: PdfExtraction): void;
  reject(error: unknown): void;
  timer?: NodeJS.Timeout;
}

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
/** Holders that want the thread kept running while idle (see holdPdfThread). */
let holders = 0;

/**
 * Starts the extraction thread now and keeps it running, idle or not, until every holder released
 * it. Processes that run the ingestion pipeline hold it: a PDF then starts extracting at once instead
 * of first waiting ~130 ms for the thread to start and load pdf.js, which would otherwise happen
 * again after every quiet spell. The price is the idle thread's memory (~50 MB resident, measured).
 */
export function holdPdfThread(): () => void {
  holders++;
  ensureWorker();
  scheduleIdleStop();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    scheduleIdleStop();
  };
}

/**
 * Extracts the text of a PDF on a shared worker thread, handing each page's text to the listener as
 * soon as it is read. Nothing arrives after the promise settles. The caller's bytes are copied, never
 * detached.
 */
export function extractPdfText(
  bytes: Uint8Array,
  listener: PdfListener,
  opts: { maxPages?: number; lettersPerPage?: number; maxPageChars?: number; timeoutMs?: number } = {},
): Promise<PdfExtraction> {
  const thread = ensureWorker();
  const id = nextId++;
  const data = bytes.slice();
  const { timeoutMs, ...limits } = opts;
  return new Promise((resolve, reject) => {
    const job: Pending = { listener, resolve, reject };
    pending.set(id, job);
    if (timeoutMs !== undefined) {
      // pdf.js cannot be interrupted inside a page: the only way to stop it is to stop its thread.
      job.timer = setTimeout(() => {
        pending.delete(id);
        reject(new PdfTimeoutError(timeoutMs));
        stopThread(thread, new Error("PDF extraction thread stopped: another document ran out of time"));
      }, timeoutMs);
    }
    const message: PdfJob = { id, data, ...limits };
    thread.postMessage(message, [data.buffer]);
  });
}

/** Stops a thread and fails whatever else it was extracting (those are retried: not their fault). */
function stopThread(thread: Worker, error: Error): void {
  if (worker === thread) failAll(thread, error);
  void thread.terminate();
}

function ensureWorker(): Worker {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (worker) {
    worker.ref();
    return worker;
  }
  // execArgv: [] keeps tsx (and its per-module source maps) out of the thread; see pdf-worker.ts.
  const thread = new Worker(new URL(`./pdf-worker${moduleExt()}`, import.meta.url), {
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB, maxYoungGenerationSizeMb: YOUNG_HEAP_MB },
  });
  thread.on("message", (m: PdfMessage) => onMessage(m));
  thread.on("error", (error) => failAll(thread, error));
  thread.on("exit", (code) => failAll(thread, new Error(`PDF extraction thread exited (code ${code})`)));
  worker = thread;
  return thread;
}

function onMessage(m: PdfMessage): void {
  const job = pending.get(m.id);
  if (!job) return;
  try {
    if (m.type === "info") job.listener.onInfo(m);
    else if (m.type === "page") job.listener.onPage(m.num, m.text);
    else {
      pending.delete(m.id);
      clearTimeout(job.timer);
      if (m.type === "done") job.resolve({ letters: m.letters, hasImages: m.hasImages });
      else job.reject(new PdfExtractionError(m.kind, m.message));
      scheduleIdleStop();
    }
  } catch (error) {
    // A listener that throws (too many pages, say) ends the job, and the thread stops extracting it.
    pending.delete(m.id);
    clearTimeout(job.timer);
    job.reject(error);
    worker?.postMessage({ cancel: m.id } satisfies PdfCancel);
    scheduleIdleStop();
  }
}

function failAll(thread: Worker, error: unknown): void {
  if (worker !== thread) return;
  worker = null;
  for (const job of pending.values()) {
    clearTimeout(job.timer);
    job.reject(error);
  }
  pending.clear();
}

function scheduleIdleStop(): void {
  if (pending.size > 0 || !worker) return;
  // Unreferenced while idle: a thread with no work must not keep the process alive.
  worker.unref();
  if (holders > 0) return;
  const thread = worker;
  idleTimer = setTimeout(() => {
    if (worker !== thread || pending.size > 0) return;
    worker = null;
    void thread.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}
