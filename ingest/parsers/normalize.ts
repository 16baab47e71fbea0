import type { ParsedDocument } from "../types.js";
import { MAX_HEADING_CHARS } from "./limits.js";

export interface NormalizeOptions {
  /** Keep leading spaces/tabs of each line (code blocks, nested lists); otherwise they are dropped. */
  preserveIndent?: boolean;
}

// Control characters carry no meaning in extracted text and confuse tokenizers; \t and \n are handled below.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufeff\u200b]/g;
// Every horizontal space Unicode knows (NBSP, thin, ideographic, ...), so "collapse runs" sees them all.
const HSPACE = "[ \\t\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000]";
const INNER_SPACES = new RegExp(`(\\S)${HSPACE}+(?=\\S)`, "g");
const LEADING_SPACES = new RegExp(`^${HSPACE}+`, "gm");

/**
 * NFC, \r\n and \r and form feeds to \n, no control characters, runs of spaces collapsed to one,
 * no trailing spaces, at most one blank line in a row, no blank lines at either end.
 */
export function normalizeText(raw: string, options: NormalizeOptions = {}): string {
  let text = raw.normalize("NFC").replace(/\r\n?|\f|\v|\u2028|\u2029/g, "\n");
  text = text.replace(CONTROL, "");
  // Per line rather than a /\s+$/m regex, which retries from every space of a long run that does not
  // end its line: quadratic. trimEnd removes exactly HSPACE here (line ends are all \n by now).
  text = text.split("\n").map(trimEnd).join("\n");
  if (!options.preserveIndent) text = text.replace(LEADING_SPACES, "");
  text = text.replace(INNER_SPACES, "$1 ");
  return text.replace(/\n{3,}/g, "\n\n").replace(/^\n+|\n+$/g, "");
}

const trimEnd = (line: string) => line.trimEnd();

export type BlockJoin = "paragraph" | "line";

/**
 * Accumulates normalized blocks into one text and records heading and page offsets as it goes,
 * so offsets are always measured on the final text (normalizing afterwards would shift them).
 */
export class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  private readonly headings: ParsedDocument["headings"] = [];
  private readonly pages: ParsedDocument["pages"] = [];
  /** `start` is set by the page's first block, after its separator (which depends on the join). */
  private openPage: { number: number; start: number | null } | null = null;
  /** Parts already handed out by takeAppended(). */
  private taken = 0;

  /** Appends a block; returns false when it normalized to nothing. */
  block(raw: string, options: NormalizeOptions & { join?: BlockJoin; heading?: number } = {}): boolean {
    let text = normalizeText(raw, options);
    if (!text) return false;
    if (options.heading) text = text.replace(/\s*\n\s*/g, " ");
    if (this.length > 0) this.push(options.join === "line" ? "\n" : "\n\n");
    if (this.openPage && this.openPage.start === null) this.openPage.start = this.length;
    if (options.heading) {
      this.headings.push({ level: options.heading, text: headingLabel(text), start: this.length });
      // Headings read as markdown ATX lines in every format, so chunks carry the same cue.
      this.push(`${"#".repeat(options.heading)} `);
    }
    this.push(text);
    return true;
  }

  /** Length of the text so far. */
  get size(): number {
    return this.length;
  }

  startPage(number: number): void {
    this.endPage();
    this.openPage = { number, start: null };
  }

  endPage(): void {
    if (!this.openPage) return;
    const { number, start } = this.openPage;
    this.pages.push({ number, start: start ?? this.length, end: this.length });
    this.openPage = null;
  }

  private pagesSoFar(): ParsedDocument["pages"] {
    const open = this.openPage;
    return open
      ? [...this.pages, { number: open.number, start: open.start ?? this.length, end: this.length }]
      : [...this.pages];
  }

  /**
   * The text appended since the last call and all pages so far (the open page ends at the current
   * end), for streaming consumers: each call costs what was added, not the whole text again.
   */
  takeAppended(): { append: string; pages: ParsedDocument["pages"] } {
    const append = this.parts.slice(this.taken).join("");
    this.taken = this.parts.length;
    return { append, pages: this.pagesSoFar() };
  }

  finish(): Pick<ParsedDocument, "text" | "headings" | "pages"> {
    this.endPage();
    return { text: this.parts.join(""), headings: this.headings, pages: this.pages };
  }

  private push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }
}

/**
 * A heading as it goes into heading paths: at most MAX_HEADING_CHARS, since every chunk under it
 * carries it (into the index and into every search result). The text itself keeps the whole heading.
 */
export function headingLabel(text: string): string {
  if (text.length <= MAX_HEADING_CHARS) return text;
  return `${text.slice(0, MAX_HEADING_CHARS - 3).replace(/[\ud800-\udbff]$/, "")}...`;
}

/** True when the text has at least one letter or digit: whitespace and punctuation alone is "empty". */
export function hasText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
