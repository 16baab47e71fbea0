/**
 * PDF ingestion work on a worker thread (see pdf-thread.ts): text extraction with pdf-parse, page
 * text normalization and, when asked, chunking as pages arrive. Node runs this file with its own
 * type stripping and without the tsx loader, so everything it loads must be erasable TypeScript.
 *
 * Why a thread without tsx: under tsx, pdf.js's two 1-2 MB modules are transformed and their source
 * maps parsed and kept, which costs ~350 MB of resident memory before a single page is read; plain
 * Node loads them in ~50 MB. The thread also takes extraction and chunking off the main thread, which
 * embeds and indexes the chunks meanwhile.
 */
import { registerHooks } from "node:module";
import { parentPort } from "node:worker_threads";
import type { ChunkStream } from "../chunker/stream.js";
import type { Chunk, ChunkingOptions, ParsedDocument } from "../types.js";

export interface PdfJob {
  id: number;
  data: Uint8Array;
  maxPages?: number;
  /** Chunk while extracting, and post the chunks as they become final. */
  chunking?: ChunkingOptions;
}

export type PdfMessage =
  | { id: number; type: "info"; total: number; title: string | null }
  | { id: number; type: "page"; num: number }
  | { id: number; type: "chunks"; chunks: Chunk[] }
  | {
      id: number;
      type: "done";
      doc: Pick<ParsedDocument, "text" | "pages">;
      letters: number;
      hasImages: boolean;
    }
  | { id: number; type: "error"; kind: "password" | "corrupt"; message: string };

/** Pages between two chunking passes (each pass copies the text so far once). */
const PAGES_PER_PASS = 8;
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
const { TextBuilder } = await import("./normalize.js");
const { sensibleTitle } = await import("./title.js");
const { ChunkStream: Stream } = await import("../chunker/stream.js");

const port = parentPort;
if (!port) throw new Error("pdf-worker.ts must run on a worker thread (see pdf-thread.ts)");

port.on("message", (job: PdfJob) => {
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
    post({ id, type: "info", total: info.total, title });
    if (info.total === 0 || (job.maxPages !== undefined && info.total > job.maxPages)) return;

    const builder = new TextBuilder();
    const stream: ChunkStream | null = job.chunking ? new Stream(job.chunking) : null;
    const postChunks = (chunks: Chunk[]) => chunks.length > 0 && post({ id, type: "chunks", chunks });
    let letters = 0;
    // One page per call: each page's pdf.js objects are released before the next.
    for (let num = 1; num <= info.total; num++) {
      const result = await parser.getText({ first: num, last: num, pageJoiner: "" });
      const text = result.pages[0]?.text ?? "";
      builder.startPage(num);
      builder.block(joinHyphenated(text));
      letters += text.replace(NOT_LETTER_OR_DIGIT, "").length;
      post({ id, type: "page", num });
      if (stream && num % PAGES_PER_PASS === 0 && num < info.total)
        postChunks(stream.advance(builder.snapshot()));
    }
    const doc = builder.finish();
    if (stream) postChunks(stream.finish({ format: "pdf", title, ...doc }));
    // Only a document without a single letter needs to know: blank ("empty") or scanned ("no_text").
    const hasImages = letters === 0 && (rawBytesMentionImages(data) || (await firstPageHasImages(parser)));
    post({ id, type: "done", doc: { text: doc.text, pages: doc.pages }, letters, hasImages });
  } finally {
    await parser.destroy();
  }
}

/** "dyna-\nmic" -> "dynamic": words broken at line ends would otherwise be unsearchable halves. */
function joinHyphenated(text: string): string {
  return text.replace(/(\p{Ll})-\n(\p{Ll})/gu, "$1$2");
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
