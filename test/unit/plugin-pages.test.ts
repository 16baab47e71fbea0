import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../ingest/chunker/index.js";
import { parseMarkdown } from "../../ingest/parsers/markdown.js";
import { documentFromPages, pagesOf, withPages } from "../../ingest/pipeline/plugin-pages.js";
import { PluginManifest } from "../../src/plugins/manifest.js";
import { loaderClaims, mayNeedLoader } from "../../src/services/plugins/ingest.js";

/** How plugin pages become a document the chunker reads (issue 19), and which uploads loaders may claim. */
describe("loader pages", () => {
  it("join into one text whose page extents and chunks keep the loader's page numbers", () => {
    const doc = documentFromPages(
      [
        { page: 3, text: "Third slide." },
        { page: 1, text: "  First slide.\n" },
        { page: 2, text: "   " },
      ],
      "Deck",
    );
    expect(doc.text).toBe("First slide.\n\nThird slide.");
    expect(doc.pages).toEqual([
      { number: 1, start: 0, end: 12 },
      { number: 3, start: 14, end: 26 },
    ]);
    const chunks = chunkDocument(doc, { chunkSize: 64, chunkOverlap: 0 });
    expect(chunks[0]).toMatchObject({ pageStart: 1, pageEnd: 3 });
  });
});

describe("filtered pages", () => {
  it("rebuild a paged document's extents around changed lengths, keeping the gaps between pages", () => {
    const doc = documentFromPages(
      [
        { page: 1, text: "Mail a@b.io now." },
        { page: 2, text: "Page two stays." },
      ],
      null,
    );
    const out = withPages(doc, [
      { page: 1, text: "Mail [EMAIL] now." },
      { page: 2, text: "Page two stays." },
    ]);
    expect(out.text).toBe("Mail [EMAIL] now.\n\nPage two stays.");
    expect(pagesOf(out)).toEqual([
      { page: 1, text: "Mail [EMAIL] now." },
      { page: 2, text: "Page two stays." },
    ]);
  });

  it("treat an unpaged document as page 1 and find its headings again, dropping one the filter rewrote", () => {
    const md = "# Contact a@b.io\n\nWrite to a@b.io.\n\n## Hours\n\nNine to five.\n";
    const doc = parseMarkdown(new TextEncoder().encode(md));
    expect(doc.pages).toEqual([]);
    expect(pagesOf(doc)).toEqual([{ page: 1, text: doc.text }]);
    const filtered = doc.text.replaceAll("a@b.io", "[EMAIL]");
    const out = withPages(doc, [{ page: 1, text: filtered }]);
    expect(out.text).toBe(filtered);
    expect(out.pages).toEqual([]);
    expect(out.headings.map((h) => h.text)).toEqual(["Hours"]);
    const hours = out.headings[0]!;
    expect(out.text.slice(hours.start)).toMatch(/^(## )?Hours/);
  });
});

describe("which uploads loaders may claim", () => {
  const manifest = PluginManifest.parse({
    id: "spreadsheets",
    version: "1.0.0",
    kind: "loader",
    name: "Sheets",
    hostApi: "^1.0.0",
    mediaTypes: ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    extensions: [".csv", ".xlsx"],
  });

  it("by extension, or by a specific media type, never by a generic one", () => {
    expect(loaderClaims(manifest, "Fleet.XLSX")).toBe(true);
    expect(loaderClaims(manifest, "export", "text/csv; charset=utf-8")).toBe(true);
    expect(loaderClaims(manifest, "blob", "application/octet-stream")).toBe(false);
    expect(loaderClaims(manifest, "notes.txt", "text/plain")).toBe(false);
  });

  it("only content the host cannot read, or reads as plain text under another name", () => {
    expect(mayNeedLoader(null, "x.bin")).toBe(true);
    expect(mayNeedLoader("text", "prices.csv")).toBe(true);
    expect(mayNeedLoader("text", "upload", "text/csv")).toBe(true);
    expect(mayNeedLoader("text", "notes.txt")).toBe(false);
    // Bulk JSONL lines are declared plain text: a title such as "prices.csv" keeps the text parser.
    expect(mayNeedLoader("text", "prices.csv", "text/plain")).toBe(false);
    expect(mayNeedLoader("markdown", "readme.md")).toBe(false);
    expect(mayNeedLoader("pdf", "scan.pdf")).toBe(false);
  });
});
