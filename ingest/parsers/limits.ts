/**
 * What one document may cost to parse. Parsing is untrusted work: every limit here turns a hostile
 * or broken upload into a failed document with a stable code (see errors.ts) instead of a frozen or
 * crashed service. The README's "Ingestion limits" table lists them; keep the two in step.
 */
export interface ParseLimits {
  /** PDFs with more pages fail `too_large` before any text is extracted (config MAX_PAGES). */
  maxPages: number;
  /** Wall time of parsing one document (and chunking it, for formats chunked on the parse thread). */
  timeoutMs: number;
  /** V8 old-generation heap of a parse thread; past it the thread dies and the document fails. */
  heapMb: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxPages: 2_000, timeoutMs: 120_000, heapMb: 256 };

/** Characters of extracted text per document (~10,000 pages of prose). */
export const MAX_TEXT_CHARS = 20_000_000;
/** Characters of text on one PDF page; a dense page of print holds about 5,000. */
export const MAX_PAGE_CHARS = 50_000;
/** Element nesting depth of an HTML page (browsers stop nesting at 512 too). */
export const MAX_HTML_DEPTH = 512;
/** Elements in one HTML page or rendered DOCX. */
export const MAX_ELEMENTS = 1_000_000;
/** Characters kept of a heading in heading paths and of a title: they travel with every chunk. */
export const MAX_HEADING_CHARS = 200;
/** Total uncompressed bytes read from one archive (DOCX: its XML parts). */
export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
/** Uncompressed/compressed ratio of an archive entry over 1 MB; real Office XML stays under ~30. */
export const MAX_ZIP_RATIO = 100;
