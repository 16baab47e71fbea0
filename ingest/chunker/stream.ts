import type { Chunk, ChunkingOptions, ParsedDocument } from "../types.js";
import { checkChunkingOptions, SectionAssembler } from "./assemble.js";
import { atomize } from "./atoms.js";
import { pageRange, searchablePages } from "./page-range.js";

/** A paragraph break that text appended later cannot extend: followed by a non-space character. */
const SETTLED_PARAGRAPH = /\n[ \t]*\n\s*(?=\S)/g;

/**
 * Chunks a document while it is still being extracted (PDF pages arriving one by one), producing
 * exactly the chunks chunkDocument would produce for the finished document. Only for documents
 * without headings (PDF text has none), which are a single section.
 *
 * Text is cut into atoms up to the last settled paragraph break seen so far (a paragraph break
 * always ends an atom, and no atom before it depends on what follows), and the assembler emits
 * chunks as soon as later atoms can no longer change them.
 *
 * Only the text a coming chunk can still reach is kept (the window: the pending atoms and the
 * overlap carried into the next chunk), so each instalment costs what it adds rather than a pass over
 * the whole document so far, and a long document is never held twice.
 */
export class ChunkStream {
  private readonly assembler: SectionAssembler;
  private readonly opts: ChunkingOptions;
  private fresh: Chunk[] = [];
  private emitted = 0;
  private pages: ParsedDocument["pages"] = [];
  /** Offset in the document of window[0]; the assembler works in window offsets. */
  private base = 0;
  private window = "";
  /** Length of the document text received so far. */
  private received = 0;
  /** Document offset up to which the text has been cut into atoms. */
  private atomized = 0;

  constructor(opts: ChunkingOptions) {
    checkChunkingOptions(opts);
    this.opts = opts;
    this.assembler = new SectionAssembler(opts, (start, end, tokens) => {
      const from = this.base + start;
      const to = this.base + end;
      const [pageStart, pageEnd] = pageRange(this.pages, from, to);
      this.fresh.push({
        ordinal: this.emitted++,
        text: this.window.slice(start, end),
        charStart: from,
        charEnd: to,
        pageStart,
        pageEnd,
        headingPath: [],
        tokens,
      });
    });
  }

  /**
   * More of the document: the text added since the last call (the text only ever grows at the end)
   * and all its pages so far, each with its final extent (a page's end never moves once later text
   * exists). Returns the chunks now final.
   */
  append(more: string, pages: ParsedDocument["pages"]): Chunk[] {
    this.window += more;
    this.received += more.length;
    this.pages = searchablePages(pages);
    let settled = -1;
    SETTLED_PARAGRAPH.lastIndex = this.atomized - this.base;
    for (let m = SETTLED_PARAGRAPH.exec(this.window); m !== null; m = SETTLED_PARAGRAPH.exec(this.window)) {
      settled = this.base + m.index + m[0].length;
    }
    if (settled <= this.atomized) return [];
    return this.take(settled, false);
  }

  /** The finished document: the remaining chunks. */
  finish(doc: ParsedDocument): Chunk[] {
    if (doc.headings.length > 0) throw new Error("ChunkStream is only for documents without headings");
    this.window += doc.text.slice(this.received);
    this.received = doc.text.length;
    this.pages = searchablePages(doc.pages);
    return this.take(this.received, true);
  }

  private take(upTo: number, complete: boolean): Chunk[] {
    if (upTo > this.atomized) {
      const atoms = atomize(this.window, this.atomized - this.base, upTo - this.base, this.opts.chunkSize);
      this.assembler.add(atoms);
      this.atomized = upTo;
    }
    this.assembler.drain(this.window, complete);
    // Text before what the assembler still needs is never read again.
    const keep = Math.min(
      this.assembler.firstNeeded() ?? Number.POSITIVE_INFINITY,
      this.atomized - this.base,
    );
    if (keep > 0) {
      this.assembler.rebase(keep);
      this.window = this.window.slice(keep);
      this.base += keep;
    }
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}
