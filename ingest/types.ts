/** What every parser returns: one extracted text with its structure as character ranges. */
export type DocFormat = "pdf" | "docx" | "html" | "markdown" | "text";

export interface ParsedDocument {
  format: DocFormat;
  /** Best title found in the document (PDF info, first heading, <title>), else null. */
  title: string | null;
  /** The whole extracted text; all offsets below point into it. */
  text: string;
  /** For paged formats (PDF): page n covers text[start, end). Empty for unpaged formats. */
  pages: { number: number; start: number; end: number }[];
  /** Headings in order, with their level (1 = top) and offset of the heading line. */
  headings: { level: number; text: string; start: number }[];
}

export interface Chunk {
  ordinal: number;
  text: string;
  charStart: number;
  charEnd: number;
  pageStart: number | null;
  pageEnd: number | null;
  headingPath: string[];
  tokens: number;
}

export interface ChunkingOptions {
  /** Target chunk size in tokens (cl100k). */
  chunkSize: number;
  /** Tokens of overlap carried from the end of one chunk into the next. */
  chunkOverlap: number;
}

/** Stable failure codes shown to users on a failed document. */
export type ParseErrorCode =
  | "encrypted"
  | "no_text"
  | "corrupt"
  | "empty"
  | "unsupported_type"
  /** Over a size limit: bytes, pages, characters, uncompressed archive size or ratio. */
  | "too_large"
  /** Over a structure limit: nesting depth, element count. */
  | "too_complex"
  /** Parsing needed more memory or time than a document may use. */
  | "resource_limit";
