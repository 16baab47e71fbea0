import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { type ParseError, parseDocument } from "../../ingest/parsers/index.js";

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const html = (s: string) => parseDocument(new TextEncoder().encode(s), "html");
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ParseError,
  );

describe("html", () => {
  it("keeps the listing of tika434 and drops its navigation, search form and footer", async () => {
    const doc = await parseDocument(fixture("html/tika_tika434.html"), "html");
    expect(doc.title).toBe("Finger Lakes Vacation Rental | Breezy Cove Wonderful Finger Lakes Honey!");
    expect(doc.text).toContain("Finger Lake Area on Lamoka Lake");
    expect(doc.text).toContain("New King Size Bed in the Sun Room");
    expect(doc.text).toContain("Watkins Glenn Speedway & Falls"); // &amp; decoded
    for (const boilerplate of [
      "The Easy Way to Find Vacation Rentals", // header slogan
      "Add Listing", // header buttons
      "United States > New York", // breadcrumb #navigation-bar
      "Afghanistan (93)", // inquiry form
      "Use of this Web site constitutes acceptance", // footer
      "google_ad_client", // script
    ]) {
      expect(doc.text).not.toContain(boilerplate);
    }
  });

  it("reads the small tika sample: title, heading, paragraph", async () => {
    const doc = await parseDocument(fixture("html/tika_testHTML.html"), "html");
    expect(doc).toMatchObject({
      format: "html",
      title: "Title : Test Indexation Html",
      text: "# Test Indexation Html\n\nIndexation du fichier",
      headings: [{ level: 1, text: "Test Indexation Html", start: 0 }],
    });
  });

  it("prefers <main>, keeps an article's own header, and turns structure into text shapes", async () => {
    const doc = await html(`<!doctype html><html><head><title>T</title><style>p{}</style></head><body>
      <nav><a href="/">Home</a></nav><div class="cookie-banner">We use cookies</div>
      <main><article><header><h1>Report &amp; Notes</h1></header>
        <p>First   paragraph<br>second line</p>
        <div class="sidebar">Related stuff</div>
        <h2>Lists</h2><ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul>
        <table><tr><th>Name</th><th>Qty</th></tr><tr><td>Apples</td><td>3</td></tr></table>
        <pre>  code
    indented</pre><script>alert(1)</script></article></main>
      <footer>Copyright</footer></body></html>`);
    expect(doc.text).toBe(
      "# Report & Notes\n\nFirst paragraph\nsecond line\n\n## Lists\n\n- one\n- two\n  1. nested\n\n" +
        "Name | Qty\nApples | 3\n\n  code\n    indented",
    );
    expect(doc.headings.map((h) => [h.level, h.text])).toEqual([
      [1, "Report & Notes"],
      [2, "Lists"],
    ]);
    expect(doc.title).toBe("T");
  });

  it("falls back to the first h1 for a title, and to the whole page when everything looks like furniture", async () => {
    const doc = await html(
      '<body><div class="menu-wrapper"><h1>Only Content</h1><p>Body text</p></div></body>',
    );
    expect(doc.title).toBe("Only Content");
    expect(doc.text).toContain("Body text");
  });

  it("honours <meta charset> and http-equiv content-type, and detects undeclared encodings", async () => {
    const ru = "Съешь же ещё этих мягких французских булок, да выпей чаю.";
    const meta = iconv.encode(
      `<html><head><meta charset="windows-1251"></head><body><p>${ru}</p></body></html>`,
      "windows-1251",
    );
    expect((await parseDocument(new Uint8Array(meta), "html")).text).toBe(ru);
    const zh = "第二届讯飞杯中文机器阅读理解评测所使用的数据。本数据集已被计算语言学顶级国际会议录用。";
    const equiv = iconv.encode(
      `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>${zh}</p></body></html>`,
      "gbk",
    );
    expect((await parseDocument(new Uint8Array(equiv), "html")).text).toBe(zh);
    const undeclared = iconv.encode(`<html><body><p>${zh}</p></body></html>`, "gbk");
    expect((await parseDocument(new Uint8Array(undeclared), "html")).text).toBe(zh);
  });

  it("reports a page without text as empty", async () => {
    expect(
      await failure(html("<html><head><title>x</title></head><body><img src=a.png></body></html>")),
    ).toMatchObject({
      code: "empty",
    });
  });
});

describe("docx", () => {
  it("renders table rows as cells joined with ' | '", async () => {
    const doc = await parseDocument(fixture("docx/mammoth_tables.docx"), "docx");
    expect(doc.text).toBe("Above\n\nTop left | Top right\nBottom left | Bottom right\n\nBelow");
  });

  it("keeps headings as '# ' lines, the Title style as the title, and nested tables", async () => {
    const doc = await parseDocument(fixture("docx/tika_testWORD.docx"), "docx");
    expect(doc.title).toBe("Sample Word Document Title");
    expect(doc.headings.map((h) => [h.level, h.text])).toEqual([
      [1, "Sample Word Document Title"],
      [1, "Main Heading"],
      [1, "Heading Level 1"],
      [2, "Heading Level 2"],
      [3, "Heading Level 3"],
    ]);
    for (const h of doc.headings)
      expect(doc.text.startsWith(`${"#".repeat(h.level)} ${h.text}`, h.start)).toBe(true);
    expect(doc.text).toContain("This document includes text that is BOLD and ITALIC.");
    expect(doc.text).toContain("Nested table More of our nested table");
  });

  it("keeps lists, footnotes, text boxes and non-Latin text", async () => {
    const doc = await parseDocument(fixture("docx/tika_testWORD_various.docx"), "docx");
    expect(doc.text).toContain("- Bullet 1\n- Bullet 2\n- Bullet 3");
    expect(doc.text).toContain("1. Number bullet 1\n2. Number bullet 2");
    expect(doc.text).toContain("Row 1 Col 1 | Row 1 Col 2 | Row 1 Col 3");
    expect(doc.text).toContain("Here is a text box");
    expect(doc.text).toContain("ゾルゲと尾崎、淡々と最期");
    expect(doc.text).toContain("𐌲𐌿𐍄𐌹𐍃𐌺");
    expect(doc.text).toMatch(/\[1\] This is a footnote\.$/);
    expect(doc.text).not.toContain("↑");
  });

  it("renders mammoth's footnotes, lists and text boxes", async () => {
    expect((await parseDocument(fixture("docx/mammoth_footnotes.docx"), "docx")).text).toBe(
      "Ouch[1].[2]\n\n[1] A tachyon walks into a bar.\n[2] Fin.",
    );
    expect((await parseDocument(fixture("docx/mammoth_simple-list.docx"), "docx")).text).toBe(
      "- Apple\n- Banana",
    );
    expect((await parseDocument(fixture("docx/mammoth_text-box.docx"), "docx")).text).toBe("Datum plane");
    expect((await parseDocument(fixture("docx/mammoth_comments.docx"), "docx")).text).toBe("Ouch.");
    expect((await parseDocument(fixture("docx/mammoth_utf8-bom.docx"), "docx")).text).toBe(
      "This XML has a byte order mark.",
    );
    expect((await parseDocument(fixture("docx/mammoth_strict-format.docx"), "docx")).text).toBe("Test");
  });

  it("takes the title from document properties when no heading opens the document", async () => {
    const doc = await parseDocument(fixture("docx/tika_testWORD_2006ml.docx"), "docx");
    expect(doc.title).toBe("My Document Title");
    expect(doc.text).toContain("The quick brown fox jumped over the lazy brown dog.");
    expect(doc.text).toContain("R1c1 | R1c2 | R1c3");
    expect(doc.text).not.toContain("base64");
  });

  it("reports an empty document as empty and a damaged one as corrupt", async () => {
    expect(await failure(parseDocument(fixture("docx/mammoth_empty.docx"), "docx"))).toMatchObject({
      code: "empty",
      permanent: true,
    });
    const whole = fixture("docx/tika_testWORD.docx");
    const error = await failure(parseDocument(whole.subarray(0, Math.floor(whole.length * 0.8)), "docx"));
    expect(error).toMatchObject({ code: "corrupt", permanent: true });
    expect(error?.message).toMatch(/re-save it and upload it again/);
  });
});
