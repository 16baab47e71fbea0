import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { ChunkStream, chunkDocument, DEFAULT_CHUNKING } from "../../ingest/chunker/index.js";
import { countTokens, encodeTokens } from "../../ingest/chunker/tokens.js";
import { TextBuilder } from "../../ingest/parsers/normalize.js";
import type { Chunk, ChunkingOptions, ParsedDocument } from "../../ingest/types.js";
import { BpeCounter } from "../../src/models/chat/bpe.js";

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8");

/**
 * Feeds `pages` to a ChunkStream as the PDF pipeline does: every `every` pages, the text added since
 * the last instalment (takeAppended + append).
 */
function streamPages(pages: string[], opts: ChunkingOptions, every = 1) {
  const builder = new TextBuilder();
  const stream = new ChunkStream(opts);
  const chunks: Chunk[] = [];
  pages.forEach((page, i) => {
    builder.startPage(i + 1);
    builder.block(page);
    if ((i + 1) % every !== 0) return;
    const { append, pages: sofar } = builder.takeAppended();
    chunks.push(...stream.append(append, sofar));
  });
  const earlyChunks = chunks.length;
  const doc: ParsedDocument = { format: "pdf", title: null, ...builder.finish() };
  chunks.push(...stream.finish(doc));
  return { doc, chunks, earlyChunks };
}

/** A real text cut into "pages" of a few paragraphs, some pages ending mid-paragraph. */
function pagesOf(text: string, size: number): string[] {
  const pages: string[] = [];
  for (let i = 0; i < text.length; i += size) pages.push(text.slice(i, i + size));
  return pages.filter((p) => p.trim());
}

describe("ChunkStream", () => {
  const english = fixture("markdown/qdrant_README.md") + fixture("markdown/mammoth_README.md");
  const chinese = fixture("markdown/cmrc2018_README_CN.md");

  it.each([
    ["English", english, DEFAULT_CHUNKING],
    ["English, small chunks", english, { chunkSize: 64, chunkOverlap: 10 }],
    ["English, no overlap", english, { chunkSize: 1000, chunkOverlap: 0 }],
    ["Chinese", chinese, DEFAULT_CHUNKING],
    ["Chinese, small chunks", chinese, { chunkSize: 64, chunkOverlap: 20 }],
  ])("produces exactly chunkDocument's chunks for %s, most of them before the end", (_, text, opts) => {
    for (const [size, every] of [
      [1500, 1],
      [700, 3],
    ] as const) {
      const { doc, chunks, earlyChunks } = streamPages(pagesOf(text, size), opts, every);
      const whole = chunkDocument(doc, opts);
      expect(chunks).toEqual(whole);
      expect(whole.length).toBeGreaterThan(3);
      // Streaming means chunks before the end: all but the last few pages' worth.
      expect(earlyChunks).toBeGreaterThan(0);
    }
  });

  it("emits nothing twice and nothing for a document without text", () => {
    const { chunks } = streamPages(["", "   ", ""], DEFAULT_CHUNKING);
    expect(chunks).toEqual([]);
  });

  it("refuses documents with headings (they have several sections)", () => {
    const stream = new ChunkStream(DEFAULT_CHUNKING);
    const doc: ParsedDocument = {
      format: "markdown",
      title: null,
      text: "# A\n\nbody",
      pages: [],
      headings: [{ level: 1, text: "A", start: 0 }],
    };
    expect(() => stream.finish(doc)).toThrow(/without headings/);
  });
});

describe("BpeCounter", () => {
  it("counts exactly what js-tiktoken encodes, piece by piece and in total", () => {
    const ranks = createRequire(import.meta.url)("js-tiktoken/ranks/cl100k_base");
    const bpe = new BpeCounter(ranks.bpe_ranks);
    const pieces = new RegExp(ranks.pat_str, "gu");
    const text = `${fixture("markdown/xquad_README.md").slice(0, 12_000)}${fixture("markdown/cmrc2018_README_CN.md").slice(0, 3000)} naïve café 😀👍🏽 Ωμέγα ÅngströmΣ`;
    for (const m of text.matchAll(pieces)) expect(bpe.count(m[0])).toBe(encodeTokens(m[0]).length);
    expect(countTokens(text)).toBeGreaterThanOrEqual(encodeTokens(text).length);
  });
});

describe("TextBuilder instalments", () => {
  it("hands out every appended character exactly once", () => {
    const builder = new TextBuilder();
    let handed = "";
    for (let page = 1; page <= 9; page++) {
      builder.startPage(page);
      builder.block(`Page ${page} says something.\n\nAnd a second paragraph on page ${page}.`);
      if (page % 2 === 0) handed += builder.takeAppended().append;
    }
    handed += builder.takeAppended().append;
    const done = builder.finish();
    expect(handed).toBe(done.text);
    expect(done.pages).toHaveLength(9);
  });
});

describe("TextBuilder pages", () => {
  it("starts each page exactly at its text, whether joined as a paragraph or as a line", () => {
    const builder = new TextBuilder();
    const texts = ["The story begins here and goes", "on across the page break.", "A new paragraph."];
    const joins = ["paragraph", "line", "paragraph"] as const;
    texts.forEach((t, i) => {
      builder.startPage(i + 1);
      builder.block(t, { join: joins[i] });
    });
    builder.startPage(4); // an empty page: an empty range at the end
    const doc = builder.finish();
    expect(doc.text).toBe(`${texts[0]}\n${texts[1]}\n\n${texts[2]}`);
    for (const [i, t] of texts.entries()) {
      const page = doc.pages[i]!;
      expect(doc.text.slice(page.start, page.end)).toBe(t);
    }
    expect(doc.pages[3]).toEqual({ number: 4, start: doc.text.length, end: doc.text.length });
  });
});
