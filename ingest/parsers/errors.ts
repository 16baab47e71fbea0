import type { ParseErrorCode } from "../types.js";

/**
 * A document that can never be ingested as uploaded. `permanent` tells the queue not to retry;
 * `message` is shown to the user, so it says what to do rather than what went wrong inside a library.
 */
export class ParseError extends Error {
  readonly code: ParseErrorCode;
  readonly permanent = true as const;
  /** The page count, when the document was read far enough to know it (PDF): kept on the failed version. */
  pages?: number;

  constructor(code: ParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ParseError";
    this.code = code;
  }
}

export function emptyDocument(what: string): ParseError {
  return new ParseError("empty", `The ${what} contains no text. Upload a document that has text in it.`);
}

export function corruptDocument(what: string, cause?: unknown): ParseError {
  return new ParseError(
    "corrupt",
    `The ${what} is damaged and could not be read. Re-export or re-save it and upload it again.`,
    { cause },
  );
}

/** Over a size limit; `limit` names it and `fix` says how to get under it. */
export function tooLarge(limit: string, fix: string): ParseError {
  return new ParseError("too_large", `${limit}. ${fix}`);
}

/** Over a structure limit (nesting, element count). */
export function tooComplex(limit: string, fix: string): ParseError {
  return new ParseError("too_complex", `${limit}. ${fix}`);
}

/** Parsing ran out of its memory or time budget. */
export function resourceLimit(limit: string, fix: string): ParseError {
  return new ParseError("resource_limit", `${limit}. ${fix}`);
}
