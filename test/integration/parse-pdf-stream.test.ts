import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chunkDocument, DEFAULT_CHUNKING } from "../../ingest/chunker/index.js";
import { parseDocument } from "../../ingest/parsers/index.js";
import type { Chunk } from "../../ingest/types.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/pdf/${name}`, import.meta.url)));

describe("PDF extracted page by page on its thread, chunked as the text arrives", () => {
  it("reports every page in order and streams exactly chunkDocument's chunks, most before the last page", async () => {
    const pagesSeen: number[] = [];
    const chunks: Chunk[] = [];
    let chunksBeforeLastPage = 0;
    const titles = new Set<string | null>();
    const doc = await parseDocument(fixture("pdfjs_freeculture.pdf"), "pdf", {
      onPage: (n, total) => {
        pagesSeen.push(n);
        expect(total).toBe(352);
        if (n === total) chunksBeforeLastPage = chunks.length;
      },
      chunking: DEFAULT_CHUNKING,
      onChunks: (pieces, title) => {
        chunks.push(...pieces);
        titles.add(title);
      },
    });
    expect(pagesSeen).toEqual(Array.from({ length: 352 }, (_, i) => i + 1));
    // The same chunks as chunkDocument makes from the finished text; only the heading paths differ,
    // since streamed chunks also get them from the PDF's outline (bookmarks), which the text lacks.
    const withoutHeadings = (list: Chunk[]) => list.map(({ headingPath: _h, ...rest }) => rest);
    expect(withoutHeadings(chunks)).toEqual(withoutHeadings(chunkDocument(doc, DEFAULT_CHUNKING)));
    expect(chunks.some((c) => c.headingPath.includes("INTRODUCTION"))).toBe(true);
    expect(chunksBeforeLastPage).toBeGreaterThan(chunks.length * 0.9);
    expect([...titles]).toEqual(["Free Culture"]);
    // Its running footer (166 times in the raw text) is recognised by its third page and dropped.
    expect(doc.text.split("<http://free-culture.org/get-it>").length - 1).toBeLessThanOrEqual(2);
    // A sentence running over a page break stays one paragraph (page 219 ends mid-sentence).
    expect(doc.text).toContain("In their brief\nbefore the Supreme Court");
  });

  it("chunks nothing when not asked to, and fails a bad PDF with its code", async () => {
    const onChunks = (pieces: Chunk[]) => expect(pieces).toEqual([]);
    const doc = await parseDocument(fixture("pdfjs_tracemonkey.pdf"), "pdf", { onChunks });
    expect(doc.pages).toHaveLength(14);
    await expect(
      parseDocument(fixture("pdfjs_issue6010_1.pdf"), "pdf", { chunking: DEFAULT_CHUNKING, onChunks }),
    ).rejects.toMatchObject({ code: "encrypted" });
  });
});
