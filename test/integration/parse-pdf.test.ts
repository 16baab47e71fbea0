import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chunkDocument, DEFAULT_CHUNKING } from "../../ingest/chunker/index.js";
import { type ParseError, parseDocument } from "../../ingest/parsers/index.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/pdf/${name}`, import.meta.url)));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ParseError,
  );

describe("pdf", () => {
  it("extracts the tracemonkey paper page by page", async () => {
    const doc = await parseDocument(fixture("pdfjs_tracemonkey.pdf"), "pdf");
    expect(doc.pages).toHaveLength(14);
    expect(doc.pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const page1 = doc.text.slice(doc.pages[0]!.start, doc.pages[0]!.end);
    expect(page1).toContain("Trace-based Just-in-Time Type Specialization for Dynamic");
    expect(page1).toContain("Andreas Gal");
    expect(page1).toContain("Mozilla Corporation");
    expect(doc.text.slice(doc.pages[1]!.start, doc.pages[1]!.end)).not.toContain("Andreas Gal");
    for (let i = 1; i < doc.pages.length; i++)
      expect(doc.pages[i]!.start).toBeGreaterThanOrEqual(doc.pages[i - 1]!.end);
    expect(doc.pages.at(-1)!.end).toBe(doc.text.length);
    expect(doc.text).not.toMatch(/[ \t]{2,}|\n{3,}/);
  });

  it("opens a PDF encrypted with only an owner password, and takes its title from the info dictionary", async () => {
    const doc = await parseDocument(fixture("tika_testPDF_protected.pdf"), "pdf");
    expect(doc.pages).toHaveLength(41);
    expect(doc.text).toContain("RETHINKING THE FINANCIAL NETWORK");
    expect(doc.title).toMatch(/^Rethinking the Financial Network/);
  });

  it("recovers the text pdf.js can read from a PDF with a broken page tree", async () => {
    const doc = await parseDocument(fixture("pdfjs_issue9418.pdf"), "pdf");
    expect(doc.text).toContain("Project Name and Address");
  });

  it.each([
    ["pdfjs_issue6010_1.pdf", "encrypted", /password/],
    ["pdfjs_issue7229.pdf", "no_text", /enable the OCR plugin \(ocr\)/],
    ["tika_testOCR.pdf", "no_text", /upload a PDF with a text layer/],
    ["pdfjs_bug1020226.pdf", "corrupt", /damaged/],
  ])("rejects %s as %s", async (name, code, message) => {
    const error = await failure(parseDocument(fixture(name), "pdf"));
    expect(error).toMatchObject({ code, permanent: true });
    expect(error!.message).toMatch(message);
  });

  it("rejects garbage behind a %PDF header as corrupt, and a page count over the limit as too_large", async () => {
    const garbage = new TextEncoder().encode(`%PDF-1.7\n${"not really a pdf ".repeat(100)}`);
    expect(await failure(parseDocument(garbage, "pdf"))).toMatchObject({ code: "corrupt" });
    const tooLong = await failure(parseDocument(fixture("pdfjs_tracemonkey.pdf"), "pdf", { maxPages: 10 }));
    expect(tooLong).toMatchObject({ code: "too_large" });
    expect(tooLong!.message).toMatch(/14 pages.*at most 10/);
  });

  it("does not consume the caller's bytes", async () => {
    const bytes = fixture("pdfjs_issue9418.pdf");
    await parseDocument(bytes, "pdf");
    expect(bytes.byteLength).toBe(151088);
  });

  it("parses and chunks the 352-page book within bounds, quietly", async () => {
    const writes: string[] = [];
    const originalWarn = console.warn;
    const originalLog = console.log;
    console.warn = (...args: unknown[]) => void writes.push(args.join(" "));
    console.log = (...args: unknown[]) => void writes.push(args.join(" "));
    try {
      // Speed is measured by `npm run bench:ingest`, not asserted here.
      const doc = await parseDocument(fixture("pdfjs_freeculture.pdf"), "pdf");
      const chunks = chunkDocument(doc, DEFAULT_CHUNKING);
      expect(doc.pages).toHaveLength(352);
      expect(doc.title).toBe("Free Culture");
      expect(doc.text.length).toBeGreaterThan(600_000);
      expect(chunks.length).toBeGreaterThan(400);
      expect(chunks.at(-1)!.pageEnd).toBeGreaterThan(340);
    } finally {
      console.warn = originalWarn;
      console.log = originalLog;
    }
    expect(writes).toEqual([]);
  });
});
