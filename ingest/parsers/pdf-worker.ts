/**
 * PDF text extraction on a worker thread (see pdf-thread.ts): pdf-parse, page by page, each page's raw
 * text posted as soon as it is read. Node runs this file with its own type stripping and without the
 * tsx loader, so everything it loads must be erasable TypeScript.
 *
 * Why a thread without tsx: under tsx, pdf.js's two 1-2 MB modules are transformed and their source
 * maps parsed and kept, which costs ~350 MB of resident memory before a single page is read; plain
 * Node loads them in ~50 MB. Extraction is the longest step of a PDF's ingestion, so the thread does
 * nothing else: the calling thread normalizes and chunks the text, and embeds and indexes meanwhile.
 */
import { registerHooks } from "node:module";
import { parentPort } from "node:worker_threads";

export interface PdfJob {
  id: number;
  data: Uint8Array;
  maxPages?: number;
  /** Letters are counted only until there are this many per page (callers compare with it). */
  lettersPerPage?: number;
  /** A page with more characters of text ends the job (error kind "page_too_large"). */
  maxPageChars?: number;
}

/** Stop extracting a job whose caller gave up on it (it broke a limit while pages were arriving). */
export interface PdfCancel {
  cancel: number;
}

export type PdfMessage =
  | { id: number; type: "info"; total: number; title: string | null; outline: OutlineEntry[] }
  /** One page's text as pdf-parse extracted it, pages in order. */
  | { id: number; type: "page"; num: number; text: string }
  | { id: number; type: "done"; letters: number; hasImages: boolean }
  | { id: number; type: "error"; kind: "password" | "corrupt" | "page_too_large"; message: string };

/** A bookmark: its title, depth (1 = top) and the page (1-based) its destination opens. */
export interface OutlineEntry {
  title: string;
  level: number;
  page: number;
}

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

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
const { PasswordException, PDFParse, VerbosityLevel } = await import("pdf-parse");
const { sensibleTitle } = await import("./title.js");

const port = parentPort;
if (!port) throw new Error("pdf-worker.ts must run on a worker thread (see pdf-thread.ts)");

const cancelled = new Set<number>();

port.on("message", (job: PdfJob | PdfCancel) => {
  if ("cancel" in job) {
    cancelled.add(job.cancel);
    return;
  }
  extract(job, (m) => port.postMessage(m)).catch((error: unknown) => {
    port.postMessage({
      id: job.id,
      type: "error",
      kind: error instanceof PasswordException ? "password" : "corrupt",
      message: error instanceof Error ? error.message : String(error),
    } satisfies PdfMessage);
  });
});

async function extract(job: PdfJob, post: (m: PdfMessage) => void): Promise<void> {
  const { id, data } = job;
  // pdf.js may detach the array it is given; the original stays readable for rawBytesMentionImages.
  const parser = new PDFParse({
    data: data.slice(),
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
  });
  try {
    const info = await parser.getInfo();
    const dcTitle = info.metadata?.get("dc:title");
    const title =
      sensibleTitle(typeof info.info?.Title === "string" ? info.info.Title : null) ??
      sensibleTitle(typeof dcTitle === "string" ? dcTitle : null);
    const outline = await resolveOutline(parser, info.outline ?? []).catch(() => []);
    post({ id, type: "info", total: info.total, title, outline });
    if (info.total === 0 || (job.maxPages !== undefined && info.total > job.maxPages)) return;

    let letters = 0;
    const enoughLetters = (job.lettersPerPage ?? Number.POSITIVE_INFINITY) * info.total;
    // One page per call: each page's pdf.js objects are released before the next.
    for (let num = 1; num <= info.total; num++) {
      if (cancelled.delete(id)) return;
      const result = await parser.getText({ first: num, last: num, pageJoiner: "" });
      const text = result.pages[0]?.text ?? "";
      if (job.maxPageChars !== undefined && text.length > job.maxPageChars) {
        post({
          id,
          type: "error",
          kind: "page_too_large",
          message: `page ${num}: ${text.length} characters`,
        });
        return;
      }
      if (letters < enoughLetters) letters += text.replace(NOT_LETTER_OR_DIGIT, "").length;
      post({ id, type: "page", num, text });
    }
    // Only a document without a single letter needs to know: blank ("empty") or scanned ("no_text").
    const hasImages = letters === 0 && (rawBytesMentionImages(data) || (await firstPageHasImages(parser)));
    post({ id, type: "done", letters, hasImages });
  } finally {
    cancelled.delete(id);
    await parser.destroy();
  }
}

/** Image dictionaries are usually visible in the raw bytes, which is much cheaper than asking pdf.js. */
function rawBytesMentionImages(bytes: Uint8Array): boolean {
  const raw = new TextDecoder("latin1").decode(bytes);
  return /\/Subtype\s*\/Image|\/(DCTDecode|JPXDecode|CCITTFaxDecode|JBIG2Decode)\b/.test(raw);
}

async function firstPageHasImages(parser: InstanceType<typeof PDFParse>): Promise<boolean> {
  // Asking pdf.js decodes every image (slow), so only when the bytes did not already tell.
  const result = await parser.getImage({ first: 1, imageBuffer: false, imageDataUrl: false });
  return result.pages.some((p) => p.images.length > 0);
}

interface OutlineItem {
  title: string;
  dest: string | unknown[] | null;
  items: OutlineItem[];
}

/** pdf.js's document, which pdf-parse keeps private; outline destinations only resolve through it. */
interface PdfDocument {
  getDestination(name: string): Promise<unknown[] | null>;
  getPageIndex(ref: unknown): Promise<number>;
}

/**
 * The outline flattened in reading order, each entry with the page its destination opens. Entries
 * without a resolvable page destination (links to URLs, broken references) are left out.
 */
async function resolveOutline(
  parser: InstanceType<typeof PDFParse>,
  items: OutlineItem[],
): Promise<OutlineEntry[]> {
  if (items.length === 0) return [];
  const doc = await (parser as unknown as { load(): Promise<PdfDocument> }).load();
  const out: OutlineEntry[] = [];
  const walk = async (nodes: OutlineItem[], level: number) => {
    for (const node of nodes) {
      const page = await destinationPage(doc, node.dest).catch(() => null);
      const title = node.title.replace(/\s+/g, " ").trim();
      if (page !== null && title) out.push({ title, level, page });
      if (node.items?.length) await walk(node.items, level + 1);
    }
  };
  await walk(items, 1);
  return out;
}

async function destinationPage(doc: PdfDocument, dest: OutlineItem["dest"]): Promise<number | null> {
  const explicit = typeof dest === "string" ? await doc.getDestination(dest) : dest;
  const target = explicit?.[0];
  if (target === undefined || target === null) return null;
  // A page reference ({num, gen}) or, in some files, a page index.
  const index = typeof target === "number" ? target : await doc.getPageIndex(target);
  return index + 1;
}
