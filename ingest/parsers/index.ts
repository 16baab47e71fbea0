import type { DocFormat, ParsedDocument } from "../types.js";
import { contentTypeCharset } from "./decode.js";
import { parseDocx } from "./docx.js";
import { ParseError } from "./errors.js";
import { parseHtml } from "./html.js";
import { parseMarkdown } from "./markdown.js";
import { type PdfParseOptions, parsePdf } from "./pdf.js";
import { parseText } from "./text.js";

export { ParseError } from "./errors.js";

export interface ParseOptions {
  /** PDFs with more pages are rejected with `too_large` before any text is extracted. */
  maxPages?: number;
  /** Progress of paged formats (PDF), page by page as pages arrive; see PdfParseOptions. */
  onPage?: PdfParseOptions["onPage"];
  /** PDF only: chunk while extracting (see PdfParseOptions); other formats ignore these. */
  chunking?: PdfParseOptions["chunking"];
  onChunks?: PdfParseOptions["onChunks"];
  /** The Content-Type given at upload; its charset decides how text formats are decoded (after a BOM). */
  contentType?: string | null;
}

/**
 * Extracts text and structure from a document whose format is already known (see detectType).
 * Throws ParseError for documents that can never be ingested; anything else thrown is a bug or an
 * infrastructure failure and may be retried.
 */
export async function parseDocument(
  bytes: Uint8Array,
  format: DocFormat,
  opts: ParseOptions = {},
): Promise<ParsedDocument> {
  switch (format) {
    case "pdf":
      return parsePdf(bytes, opts);
    case "docx":
      return parseDocx(bytes);
    case "html":
      return parseHtml(bytes, { contentType: opts.contentType });
    case "markdown":
      return parseMarkdown(bytes, contentTypeCharset(opts.contentType));
    case "text":
      return parseText(bytes, contentTypeCharset(opts.contentType));
    default:
      throw new ParseError("unsupported_type", `Documents of type "${String(format)}" cannot be ingested.`);
  }
}
