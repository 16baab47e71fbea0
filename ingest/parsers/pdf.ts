import { ChunkStream } from "../chunker/stream.js";
import type { Chunk, ChunkingOptions, ParsedDocument } from "../types.js";
import { corruptDocument, emptyDocument, ParseError, resourceLimit, tooLarge } from "./errors.js";
import { MAX_PAGE_CHARS, MAX_TEXT_CHARS } from "./limits.js";
import { TextBuilder } from "./normalize.js";
import { OutlinePaths } from "./pdf-outline.js";
import { extractPdfText, PdfExtractionError, PdfTimeoutError } from "./pdf-thread.js";
import { RunningLines } from "./running-lines.js";

/**
 * Below this many letters/digits per page on average, the text layer is missing or is just page
 * numbers and scanner stamps: the document is a scan and needs OCR.
 */
const MIN_CHARS_PER_PAGE = 16;
/** Pages between two chunking passes while a PDF streams in. */
const CHUNK_EVERY_PAGES = 8;
/**
 * ...or sooner, once this much text waits: each pass runs on the pipeline thread (in the API process,
 * the thread serving requests), so no pass may be long, whatever the pages hold.
 */
const CHUNK_EVERY_CHARS = 16_000;

export interface PdfParseOptions {
  maxPages?: number;
  /** Wall time of extraction; past it the extraction thread is stopped and the PDF fails. */
  timeoutMs?: number;
  /** Called as pages are extracted, in order, with the page count. */
  onPage?: (parsed: number, total: number) => void;
  /**
   * Chunk while extracting: onChunks receives the chunks chunkDocument would make of the finished
   * document, in order, as soon as later pages cannot change them (all of them before parsePdf
   * resolves), with the title they belong to.
   */
  chunking?: ChunkingOptions;
  onChunks?: (chunks: Chunk[], title: string | null) => void;
}

/**
 * Text per page with pdf-parse (pdf.js). Extraction, the slowest step, runs alone on a worker thread
 * (see pdf-thread.ts); each page's text is cleaned here as it arrives (running headers and footers
 * out, see running-lines.ts; words split at line ends joined; normalized) and, with onChunks, chunked
 * every few pages, so that work overlaps extraction instead of adding to it. This function also checks
 * limits and classifies failures.
 */
export async function parsePdf(bytes: Uint8Array, opts: PdfParseOptions = {}): Promise<ParsedDocument> {
  let total = 0;
  try {
    return await readPdf(bytes, opts, (n) => {
      total = n;
    });
  } catch (error) {
    // Failures of a document whose page count is known report it, whatever step they came from.
    if (error instanceof ParseError && total > 0) error.pages ??= total;
    throw error;
  }
}

async function readPdf(
  bytes: Uint8Array,
  opts: PdfParseOptions,
  setTotal: (total: number) => void,
): Promise<ParsedDocument> {
  let total = 0;
  let title: string | null = null;
  const stream = opts.onChunks && opts.chunking ? new ChunkStream(opts.chunking) : null;
  let outline = new OutlinePaths([]);
  const emit = (chunks: Chunk[]) => {
    outline.apply(chunks);
    if (chunks.length > 0) opts.onChunks?.(chunks, title);
  };
  const builder = new TextBuilder();
  const running = new RunningLines();
  /** Last visible character of the text so far: tells whether the next page continues a sentence. */
  let lastChar: string | undefined;
  let chars = 0;
  let waiting = 0;
  const result = await extractPdfText(
    bytes,
    {
      onInfo(info) {
        total = info.total;
        setTotal(total);
        title = info.title;
        outline = new OutlinePaths(info.outline);
        if (total === 0) throw emptyDocument("PDF");
        if (opts.maxPages !== undefined && total > opts.maxPages) {
          throw tooLarge(
            `The PDF has ${total.toLocaleString("en")} pages; at most ${opts.maxPages.toLocaleString("en")} are accepted (MAX_PAGES)`,
            "Split it into smaller files and upload those.",
          );
        }
      },
      onPage(num, text) {
        builder.startPage(num);
        chars += text.length;
        waiting += text.length;
        if (chars > MAX_TEXT_CHARS) {
          throw tooLarge(
            `The PDF has more than ${MAX_TEXT_CHARS.toLocaleString("en")} characters of text (the limit on text per document)`,
            "Split it into smaller files and upload those.",
          );
        }
        const clean = joinHyphenated(running.strip(text));
        const join = continuesSentence(lastChar, clean) ? "line" : "paragraph";
        if (builder.block(clean, { join })) {
          lastChar = clean.trimEnd().at(-1);
          outline.page(num, clean, builder.size);
        }
        opts.onPage?.(num, total);
        if (stream && (num % CHUNK_EVERY_PAGES === 0 || waiting >= CHUNK_EVERY_CHARS) && num < total) {
          waiting = 0;
          const { append, pages } = builder.takeAppended();
          emit(stream.append(append, pages));
        }
      },
    },
    {
      maxPages: opts.maxPages,
      lettersPerPage: MIN_CHARS_PER_PAGE,
      maxPageChars: MAX_PAGE_CHARS,
      timeoutMs: opts.timeoutMs,
    },
  ).catch((error: unknown) => {
    throw classify(error);
  });
  if (result.letters < MIN_CHARS_PER_PAGE * total) {
    if (result.letters === 0 && !result.hasImages) throw emptyDocument("PDF");
    throw new ParseError(
      "no_text",
      "This PDF has no text layer (it looks scanned or made of images). An administrator can enable " +
        "the OCR plugin (ocr) for your organization to make scanned PDFs searchable; or upload a PDF " +
        "with a text layer (for example, export it again or run it through OCR first).",
    );
  }
  const { text, pages } = builder.finish();
  const doc: ParsedDocument = { format: "pdf", title, headings: [], text, pages };
  if (stream) emit(stream.finish(doc));
  return doc;
}

/**
 * A page that starts in lower case after one that did not end a sentence is the same paragraph going
 * on: joined as a line, not a paragraph break, so chunking does not take the page break for a good
 * place to cut a sentence in two.
 */
function continuesSentence(lastChar: string | undefined, next: string): boolean {
  if (lastChar === undefined || /[.!?:;"”’)\]»。！？；]/.test(lastChar)) return false;
  return /^\s*\p{Ll}/u.test(next);
}

/** "dyna-\nmic" -> "dynamic": words broken at line ends would otherwise be unsearchable halves. */
function joinHyphenated(text: string): string {
  return text.replace(/(\p{Ll})-\n(\p{Ll})/gu, "$1$2");
}

function classify(error: unknown): unknown {
  if (error instanceof ParseError) return error;
  if (error instanceof PdfExtractionError) {
    if (error.kind === "password") {
      return new ParseError(
        "encrypted",
        "This PDF is password-protected. Remove the password (open it and save an unprotected copy) and upload it again.",
        { cause: error },
      );
    }
    if (error.kind === "page_too_large") {
      return tooLarge(
        `A page of the PDF has more than ${MAX_PAGE_CHARS.toLocaleString("en")} characters of text (the limit per page; ${error.message})`,
        "Remove or split that page and upload the PDF again.",
      );
    }
    return corruptDocument("PDF", error);
  }
  if (error instanceof PdfTimeoutError) {
    return resourceLimit(
      `Reading the PDF took longer than ${Math.round(error.timeoutMs / 1000)} s (the limit on parse time)`,
      "Split it into smaller files and upload those.",
    );
  }
  if ((error as { code?: string })?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return resourceLimit(
      "Reading the PDF needed more memory than a document may use (the limit on parse memory)",
      "Split it into smaller files and upload those.",
    );
  }
  // The extraction thread itself failed (could not start, crashed): not the document's fault, retry.
  return error;
}
