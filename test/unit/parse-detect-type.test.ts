import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { detectType, SUPPORTED_TYPES } from "../../ingest/detect-type.js";

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A minimal, valid ZIP archive with the given (deflated) entries, like an .xlsx or .docx container. */
function zip(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name);
    const data = deflateRawSync(Buffer.from(content));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

describe("detectType", () => {
  it("recognises every fixture by content", () => {
    expect(detectType(fixture("pdf/pdfjs_tracemonkey.pdf"), "paper.pdf")).toBe("pdf");
    expect(detectType(fixture("pdf/pdfjs_bug1020226.pdf"))).toBe("pdf");
    expect(detectType(fixture("docx/tika_testWORD.docx"))).toBe("docx");
    expect(detectType(fixture("docx/mammoth_strict-format.docx"))).toBe("docx");
    expect(detectType(fixture("html/tika_tika434.html"))).toBe("html");
    expect(detectType(fixture("html/tika_testHTML.html"))).toBe("html");
    expect(detectType(fixture("markdown/xquad_README.md"), "README.md")).toBe("markdown");
  });

  it("lets magic bytes beat a lying extension or MIME type", () => {
    expect(detectType(fixture("pdf/pdfjs_tracemonkey.pdf"), "notes.txt", "text/plain")).toBe("pdf");
    expect(detectType(fixture("docx/tika_testWORD.docx"), "page.html", "text/html")).toBe("docx");
    expect(detectType(fixture("html/tika_testHTML.html"), "notes.md", "text/markdown")).toBe("html");
    expect(detectType(utf8("just some words"), "report.pdf", "application/pdf")).toBe("text");
  });

  it("tells a DOCX from other zips: spreadsheets and plain archives are unsupported", () => {
    const xlsx = zip({ "[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>" });
    expect(detectType(xlsx, "sheet.xlsx")).toBeNull();
    expect(detectType(zip({ "a.txt": "hello" }), "a.zip")).toBeNull();
    expect(detectType(zip({ "word/document.xml": "<w:document/>" }), "x.bin")).toBe("docx");
  });

  it("still calls a truncated DOCX a DOCX, so its parser can say it is damaged", () => {
    const whole = fixture("docx/tika_testWORD.docx");
    expect(detectType(whole.subarray(0, Math.floor(whole.length * 0.8)))).toBe("docx");
  });

  it("rejects binary data: images, executables, NUL-laden bytes", () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect(detectType(png, "cat.png")).toBeNull();
    const elf = new Uint8Array(512).map((_, i) => (i * 37) % 256);
    expect(detectType(elf, "tool.txt")).toBeNull();
    expect(detectType(new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x41, 0x42]))).toBeNull();
  });

  it("sniffs HTML only when the document starts as HTML", () => {
    expect(detectType(utf8("\ufeff<!-- hi -->\n<!DOCTYPE html><p>x</p>"))).toBe("html");
    expect(detectType(utf8("<html><body>x</body></html>"), "x.txt")).toBe("html");
    expect(detectType(fixture("markdown/qdrant_README.md"))).toBe("markdown"); // starts with <p align="center">
    expect(detectType(utf8("<p>fragment</p>"), "frag.html")).toBe("html");
  });

  it("tells Markdown from plain text by extension, then by markdown signals", () => {
    expect(detectType(utf8("plain words"), "a.md")).toBe("markdown");
    expect(detectType(utf8("# Title\n\nSee [docs](https://x.y).\n"), "notes.txt")).toBe("text");
    expect(detectType(utf8("# Title\n\n- one\n- two\n"))).toBe("markdown");
    expect(detectType(utf8("Dear Sir,\nthank you for your letter.\n"))).toBe("text");
    expect(detectType(utf8("x"), undefined, "text/markdown; charset=utf-8")).toBe("markdown");
  });

  it("accepts text in legacy encodings and UTF-16, and an empty upload (its parser reports it empty)", () => {
    const utf16 = new Uint8Array(Buffer.from("\ufeffHello UTF-16 world", "utf16le"));
    expect(detectType(utf16, "u.txt")).toBe("text");
    expect(detectType(new Uint8Array(Buffer.from("no bom here at all", "utf16le")))).toBe("text");
    expect(detectType(new Uint8Array([0xc4, 0xe3, 0xba, 0xc3, 0xca, 0xc0, 0xbd, 0xe7]))).toBe("text"); // GBK 你好世界
    expect(detectType(new Uint8Array())).toBe("text");
  });

  it("names the supported types for a 415 message", () => {
    expect(SUPPORTED_TYPES).toBe("PDF, DOCX, HTML, Markdown, plain text");
  });
});
