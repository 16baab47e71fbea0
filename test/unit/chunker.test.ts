import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { chunkDocument, chunkingSchema, DEFAULT_CHUNKING } from "../../ingest/chunker/index.js";
import { countTokens, encodeTokens } from "../../ingest/chunker/tokens.js";
import { parseDocument } from "../../ingest/parsers/index.js";
import type { Chunk, ChunkingOptions, DocFormat, ParsedDocument } from "../../ingest/types.js";

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const doc = (text: string, extra: Partial<ParsedDocument> = {}): ParsedDocument => ({
  format: "text",
  title: null,
  text,
  pages: [],
  headings: [],
  ...extra,
});

/** Invariants every chunking must satisfy. */
function checkInvariants(d: ParsedDocument, chunks: Chunk[], opts: ChunkingOptions): void {
  chunks.forEach((c, i) => {
    expect(c.ordinal).toBe(i);
    expect(c.text).toBe(d.text.slice(c.charStart, c.charEnd));
    expect(c.text).toBe(c.text.trim());
    // Exact, except that unspaced runs longer than 48 characters are counted in slices (may overcount).
    const exact = encodeTokens(c.text).length;
    expect(c.tokens).toBeGreaterThanOrEqual(exact);
    expect(c.tokens).toBeLessThanOrEqual(Math.max(exact, Math.ceil(exact * 1.1)));
    expect(c.tokens).toBeLessThanOrEqual(opts.chunkSize);
    expect(/^[\udc00-\udfff]/.test(c.text) || /[\ud800-\udbff]$/.test(c.text)).toBe(false);
  });
  // Every non-space character of the document is in some chunk.
  let covered = 0;
  for (const c of chunks) {
    const from = Math.max(covered, c.charStart);
    expect(d.text.slice(covered, from).trim()).toBe("");
    covered = Math.max(covered, c.charEnd);
  }
  expect(d.text.slice(covered).trim()).toBe("");
}

const FIXTURES: [string, DocFormat][] = [
  ["markdown/mammoth_README.md", "markdown"],
  ["markdown/cmrc2018_README_CN.md", "markdown"],
  ["markdown/qdrant_README.md", "markdown"],
  ["markdown/xquad_README.md", "markdown"],
  ["html/tika_tika434.html", "html"],
  ["docx/tika_testWORD_various.docx", "docx"],
];

describe("chunkDocument on real documents", () => {
  const docs = new Map<string, ParsedDocument>();
  beforeAll(async () => {
    for (const [path, format] of FIXTURES) docs.set(path, await parseDocument(fixture(path), format));
  });

  it.each(FIXTURES)("keeps the invariants for %s at several sizes", (path) => {
    const d = docs.get(path)!;
    for (const opts of [
      DEFAULT_CHUNKING,
      { chunkSize: 64, chunkOverlap: 16 },
      { chunkSize: 1000, chunkOverlap: 0 },
    ]) {
      checkInvariants(d, chunkDocument(d, opts), opts);
    }
  });

  it("gives each chunk of the mammoth README its heading path", () => {
    const d = docs.get("markdown/mammoth_README.md")!;
    const chunks = chunkDocument(d, DEFAULT_CHUNKING);
    const styles = chunks.find((c) => c.text.startsWith("#### Styles"));
    expect(styles?.headingPath).toEqual(["Mammoth .docx to HTML converter", "Usage", "CLI", "Styles"]);
    const library = chunks.find((c) => c.text.startsWith("### Library"));
    expect(library?.headingPath).toEqual(["Mammoth .docx to HTML converter", "Usage", "Library"]);
    // No chunk spans two sections; a heading inside a chunk only follows bodiless headings ("## Usage" then "### CLI").
    for (const c of chunks) {
      for (const h of d.headings.filter((h) => h.start > c.charStart && h.start < c.charEnd)) {
        const before = d.text.slice(c.charStart, h.start).split("\n");
        expect(before.every((line) => line === "" || line.startsWith("#"))).toBe(true);
      }
    }
  });

  it("counts tokens like cl100k_base: exactly for prose, within 1% where long unspaced runs are sliced", () => {
    for (const [path, d] of docs) {
      const exact = encodeTokens(d.text).length;
      // Chinese runs and markdown table rules ("|-----|:---:|") are pieces longer than 48 characters.
      if (path.includes("_CN") || path.includes("xquad")) {
        expect(countTokens(d.text)).toBeGreaterThanOrEqual(exact);
        expect(countTokens(d.text)).toBeLessThanOrEqual(exact * 1.01);
      } else expect(countTokens(d.text)).toBe(exact);
    }
    expect(countTokens("a <|endoftext|> b")).toBe(encodeTokens("a <|endoftext|> b").length);
  });
});

describe("chunkDocument boundaries", () => {
  const sentence = (i: number) => `Sentence number ${i} talks about topic ${i % 7} in plain words.`;
  const english = Array.from({ length: 40 }, (_, p) =>
    Array.from({ length: 6 }, (_, s) => sentence(p * 6 + s)).join(" "),
  ).join("\n\n");

  it("never cuts inside a word and starts each overlap on a word boundary", () => {
    const d = doc(english);
    const opts = { chunkSize: 100, chunkOverlap: 20 };
    const chunks = chunkDocument(d, opts);
    checkInvariants(d, chunks, opts);
    for (const c of chunks) {
      expect(c.charStart === 0 || /\s/.test(d.text[c.charStart - 1]!)).toBe(true);
      expect(c.charEnd === d.text.length || /\s/.test(d.text[c.charEnd]!)).toBe(true);
    }
  });

  it("carries about chunkOverlap tokens from the end of the previous chunk, preferring sentence starts", () => {
    const d = doc(english);
    const opts = { chunkSize: 120, chunkOverlap: 30 };
    const chunks = chunkDocument(d, opts);
    expect(chunks.length).toBeGreaterThan(10);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const next = chunks[i]!;
      expect(next.charStart).toBeLessThan(prev.charEnd);
      expect(next.charStart).toBeGreaterThan(prev.charStart);
      const overlap = d.text.slice(next.charStart, prev.charEnd);
      expect(countTokens(overlap)).toBeLessThanOrEqual(30);
      expect(countTokens(overlap)).toBeGreaterThanOrEqual(10);
      expect(overlap).toMatch(/^Sentence number \d+/);
    }
  });

  it("prefers to cut at paragraph ends", () => {
    const d = doc(english);
    const chunks = chunkDocument(d, { chunkSize: 200, chunkOverlap: 0 });
    const atParagraphEnd = chunks.filter(
      (c) => c.charEnd === d.text.length || d.text.startsWith("\n\n", c.charEnd),
    );
    expect(atParagraphEnd.length).toBe(chunks.length);
  });

  it("splits Chinese without spaces: at 。 when it can, by characters when it must, never inside a surrogate pair", () => {
    const punctuated =
      "自然语言处理是人工智能的一个重要方向，研究人与计算机之间用自然语言进行有效通信的理论和方法。".repeat(
        30,
      );
    const unpunctuated = "𠀀𠀁𠀂中文文本没有空格也没有标点符号的情况下也必须能够被正确地切分".repeat(40);
    for (const text of [punctuated, unpunctuated]) {
      const d = doc(text);
      const opts = { chunkSize: 64, chunkOverlap: 16 };
      const chunks = chunkDocument(d, opts);
      expect(chunks.length).toBeGreaterThan(5);
      checkInvariants(d, chunks, opts);
    }
    const chunks = chunkDocument(doc(punctuated), { chunkSize: 100, chunkOverlap: 0 });
    for (const c of chunks.slice(0, -1)) expect(c.text.endsWith("。")).toBe(true);
  });

  it("cuts a giant 'word' (a URL, base64) rather than exceeding the size", () => {
    const d = doc(`See ${"aGVsbG8gd29ybGQ".repeat(400)} for details.`);
    const opts = { chunkSize: 64, chunkOverlap: 8 };
    checkInvariants(d, chunkDocument(d, opts), opts);
  });
});

describe("chunkDocument structure", () => {
  it("starts a section at each heading and nests heading paths by level", () => {
    const text = [
      "Preface text.",
      "# Part One",
      "## Chapter 1",
      "Chapter one text.",
      "### Detail",
      "Detail text.",
      "## Chapter 2",
      "Chapter two text.",
      "# Part Two",
      "Part two text.",
    ].join("\n\n");
    const headings = [
      ["# Part One", 1],
      ["## Chapter 1", 2],
      ["### Detail", 3],
      ["## Chapter 2", 2],
      ["# Part Two", 1],
    ].map(([line, level]) => ({
      level: level as number,
      text: (line as string).replace(/^#+ /, ""),
      start: text.indexOf(line as string),
    }));
    const chunks = chunkDocument(doc(text, { format: "markdown", headings }), DEFAULT_CHUNKING);
    expect(chunks.map((c) => [c.text, c.headingPath])).toEqual([
      ["Preface text.", []],
      // "# Part One" has no body of its own, so it opens its first chapter's chunk.
      ["# Part One\n\n## Chapter 1\n\nChapter one text.", ["Part One", "Chapter 1"]],
      ["### Detail\n\nDetail text.", ["Part One", "Chapter 1", "Detail"]],
      ["## Chapter 2\n\nChapter two text.", ["Part One", "Chapter 2"]],
      ["# Part Two\n\nPart two text.", ["Part Two"]],
    ]);
  });

  it("maps chunks to the pages they span", () => {
    const pageTexts = Array.from({ length: 6 }, (_, p) =>
      Array.from({ length: 30 }, (_, w) => `page${p + 1}word${w}`).join(" "),
    );
    let offset = 0;
    const pages = pageTexts.map((t, i) => {
      const page = { number: i + 1, start: offset, end: offset + t.length };
      offset += t.length + 2;
      return page;
    });
    const d = doc(pageTexts.join("\n\n"), { format: "pdf", pages });
    const chunks = chunkDocument(d, { chunkSize: 150, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      const numbers = [...c.text.matchAll(/page(\d+)word/g)].map((m) => Number(m[1]));
      expect(c.pageStart).toBe(Math.min(...numbers));
      expect(c.pageEnd).toBe(Math.max(...numbers));
    }
    expect(chunkDocument(doc("no pages here"), DEFAULT_CHUNKING)[0]).toMatchObject({
      pageStart: null,
      pageEnd: null,
    });
  });

  it("returns no chunks for an empty text and one for a short one", () => {
    expect(chunkDocument(doc(""), DEFAULT_CHUNKING)).toEqual([]);
    expect(chunkDocument(doc("  Hello world.  "), DEFAULT_CHUNKING)).toEqual([
      {
        ordinal: 0,
        text: "Hello world.",
        charStart: 2,
        charEnd: 14,
        pageStart: null,
        pageEnd: null,
        headingPath: [],
        tokens: 3,
      },
    ]);
  });
});

describe("chunkingSchema", () => {
  it("accepts the defaults and the limits, rejects out-of-range values with the field named", () => {
    expect(chunkingSchema.parse(DEFAULT_CHUNKING)).toEqual(DEFAULT_CHUNKING);
    expect(chunkingSchema.safeParse({ chunkSize: 64, chunkOverlap: 31 }).success).toBe(true);
    expect(chunkingSchema.safeParse({ chunkSize: 2048, chunkOverlap: 0 }).success).toBe(true);
    expect(chunkingSchema.safeParse({ chunkSize: 63, chunkOverlap: 0 }).success).toBe(false);
    expect(chunkingSchema.safeParse({ chunkSize: 2049, chunkOverlap: 0 }).success).toBe(false);
    expect(chunkingSchema.safeParse({ chunkSize: 400.5, chunkOverlap: 0 }).success).toBe(false);
    const overlap = chunkingSchema.safeParse({ chunkSize: 100, chunkOverlap: 50 });
    expect(overlap.success).toBe(false);
    expect(overlap.error?.issues[0]?.path).toEqual(["chunkOverlap"]);
  });
});
