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
 */
export class ChunkStream {
  private readonly chunks: Chunk[] = [];
  private readonly assembler: SectionAssembler;
  private atomized = 0;
  private pages: ParsedDocument["pages"] = [];
  private text = "";
  private readonly opts: ChunkingOptions;

  constructor(opts: ChunkingOptions) {
    checkChunkingOptions(opts);
    this.opts = opts;
    this.assembler = new SectionAssembler(opts, (start, end, tokens) => {
      const [pageStart, pageEnd] = pageRange(this.pages, start, end);
      this.chunks.push({
        ordinal: this.chunks.length,
        text: this.text.slice(start, end),
        charStart: start,
        charEnd: end,
        pageStart,
        pageEnd,
        headingPath: [],
        tokens,
      });
    });
  }

  /**
   * The document so far: its text (which only ever grows at the end) and its pages, each with its
   * final extent (a page's end never moves once later text exists). Returns the chunks now final.
   */
  advance(partial: Pick<ParsedDocument, "text" | "pages">): Chunk[] {
    this.text = partial.text;
    this.pages = searchablePages(partial.pages);
    let settled = -1;
    SETTLED_PARAGRAPH.lastIndex = this.atomized;
    for (let m = SETTLED_PARAGRAPH.exec(this.text); m !== null; m = SETTLED_PARAGRAPH.exec(this.text)) {
      settled = m.index + m[0].length;
    }
    if (settled <= this.atomized) return [];
    return this.take(settled, false);
  }

  /** The finished document: the remaining chunks. */
  finish(doc: ParsedDocument): Chunk[] {
    if (doc.headings.length > 0) throw new Error("ChunkStream is only for documents without headings");
    this.text = doc.text;
    this.pages = searchablePages(doc.pages);
    return this.take(doc.text.length, true);
  }

  /** How many chunks have been produced so far. */
  get count(): number {
    return this.chunks.length;
  }

  private take(upTo: number, complete: boolean): Chunk[] {
    const before = this.chunks.length;
    if (upTo > this.atomized) {
      this.assembler.add(atomize(this.text, this.atomized, upTo, this.opts.chunkSize));
      this.atomized = upTo;
    }
    this.assembler.drain(this.text, complete);
    return this.chunks.slice(before);
  }
}
