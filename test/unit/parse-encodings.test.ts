import { describe, expect, it } from "vitest";
import { detectType, isEncryptedOffice } from "../../ingest/detect-type.js";
import { declaredHtmlCharset, decodeBytes, prescanHtmlCharset } from "../../ingest/parsers/decode.js";
import { ParseError, parseDocument } from "../../ingest/parsers/index.js";
import { encryptedDocx, lateMetaCp1251Page } from "../helpers/documents.js";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("HTML charset sniffing (WHATWG order, prescan past 1024 bytes)", () => {
  it("finds <meta charset> after 40 KB of script and decodes the page with it", async () => {
    const page = lateMetaCp1251Page();
    expect(page.bytes.length).toBeGreaterThan(40 * 1024);
    expect(prescanHtmlCharset(page.bytes)).toBe("windows-1251");
    const doc = await parseDocument(page.bytes, "html");
    expect(doc.title).toBe(page.title);
    expect(doc.text).toContain(page.phrase);
    expect(doc.text).not.toMatch(/[ÐÑÃ]/);
  });

  it("reads http-equiv, skips comments and other tags' attributes, and stops at <body>", () => {
    expect(
      prescanHtmlCharset(ascii('<head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">')),
    ).toBe("koi8-r");
    expect(prescanHtmlCharset(ascii('<!-- <meta charset="big5"> --><meta charset=gbk>'))).toBe("gbk");
    expect(prescanHtmlCharset(ascii('<a title="charset=big5"></a><meta charset="shift_jis">'))).toBe(
      "shift_jis",
    );
    expect(prescanHtmlCharset(ascii('<meta name="x" content="charset=big5">'))).toBeNull();
    expect(prescanHtmlCharset(ascii('<body><meta charset="big5">'))).toBeNull();
  });

  it("puts the upload's Content-Type before the meta, unless it claims UTF-8 for bytes that are not", () => {
    const page = lateMetaCp1251Page(2000);
    expect(declaredHtmlCharset(page.bytes, "text/html; charset=koi8-r")).toBe("koi8-r");
    expect(declaredHtmlCharset(page.bytes, 'text/html; charset="UTF-8"')).toBe("windows-1251");
    expect(declaredHtmlCharset(page.bytes, "text/html")).toBe("windows-1251");
    expect(declaredHtmlCharset(ascii("<meta charset=utf-16le>"), null)).toBe("utf-8");
  });

  it("lets a BOM win over everything, and falls back to detection without a declaration", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...ascii("<p>caf\u00e9</p>")]);
    expect(decodeBytes(bom, "windows-1251").encoding).toBe("utf-8");
    const page = lateMetaCp1251Page(100);
    const undeclared = new TextDecoder("latin1")
      .decode(page.bytes)
      .replace('<meta charset="windows-1251">', "");
    const bytes = Uint8Array.from(undeclared, (c) => c.charCodeAt(0));
    expect(decodeBytes(bytes, declaredHtmlCharset(bytes)).encoding).toMatch(/1251/);
  });
});

describe("encrypted Office documents", () => {
  it("detects a password-protected DOCX (OLE with EncryptionInfo) and fails it as encrypted", async () => {
    const bytes = encryptedDocx();
    expect(isEncryptedOffice(bytes)).toBe(true);
    expect(detectType(bytes, "secret.docx")).toBe("docx");
    const failure = await parseDocument(bytes, "docx").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ParseError);
    expect((failure as ParseError).code).toBe("encrypted");
    expect((failure as ParseError).message).toMatch(/password-protected.*upload it again/);
  });

  it("still refuses other OLE files (legacy .doc, .xls) as unsupported", () => {
    const ole = encryptedDocx();
    // Rename the stream in place: the same container without an EncryptionInfo entry.
    const name = new Uint8Array([..."EncryptionInfo"].flatMap((c) => [c.charCodeAt(0), 0]));
    for (let i = 0; i + name.length <= ole.length; i++) {
      if (name.every((b, k) => ole[i + k] === b)) ole[i] = 0x46;
    }
    expect(isEncryptedOffice(ole)).toBe(false);
    expect(detectType(ole, "old.doc")).toBeNull();
  });
});
