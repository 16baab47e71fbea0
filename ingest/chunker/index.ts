import type { Chunk, ChunkingOptions, ParsedDocument } from "../types.js";
import { checkChunkingOptions, SectionAssembler } from "./assemble.js";
import { atomize } from "./atoms.js";
import { pageRange, searchablePages } from "./page-range.js";
import { headingSections } from "./sections.js";

export { CHUNK_SIZE_MAX, CHUNK_SIZE_MIN, chunkingSchema, DEFAULT_CHUNKING } from "./options.js";
export { ChunkStream } from "./stream.js";

/**
 * Splits a parsed document into token-bounded chunks. A heading starts a new section; within a section,
 * chunks are assembled from sentences (words, character groups when a sentence alone is too long) and
 * cut at the strongest boundary available, and each chunk after the first repeats about chunkOverlap
 * tokens from the end of the previous one. Every chunk's text is doc.text.slice(charStart, charEnd).
 */
export function chunkDocument(doc: ParsedDocument, opts: ChunkingOptions): Chunk[] {
  checkChunkingOptions(opts);
  const text = doc.text;
  const pages = searchablePages(doc.pages);
  const chunks: Chunk[] = [];
  for (const section of headingSections(doc)) {
    const assembler = new SectionAssembler(opts, (start, end, tokens) => {
      const [pageStart, pageEnd] = pageRange(pages, start, end);
      chunks.push({
        ordinal: chunks.length,
        text: text.slice(start, end),
        charStart: start,
        charEnd: end,
        pageStart,
        pageEnd,
        headingPath: section.headingPath,
        tokens,
      });
    });
    assembler.add(atomize(text, section.start, section.end, opts.chunkSize));
    assembler.drain(text, true);
  }
  return chunks;
}
