import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeBytes } from "../../ingest/parsers/decode.js";
import { ParseError, parseDocument } from "../../ingest/parsers/index.js";

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const encode = (text: string, encoding: string) => new Uint8Array(iconv.encode(text, encoding));

const SAMPLES: Record<string, string> = {
  gb18030:
    "第二届讯飞杯中文机器阅读理解评测所使用的数据。本数据集已被计算语言学顶级国际会议录用。请通过以下步骤提交你的模型。",
  big5: "本目錄包含第二屆訊飛杯中文機器閱讀理解評測所使用的數據。本數據集已被計算語言學頂級國際會議錄用。",
  shift_jis: "ゾルゲと尾崎、淡々と最期。日本語のテキストをここに書きます。これは文字コードの検出テストです。",
  "windows-1251":
    "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний.",
  "euc-kr": "다람쥐 헌 쳇바퀴에 타고파. 한국어 문자 인코딩 감지 시험입니다. 오늘 서울의 날씨는 맑습니다.",
  "windows-1252": "Café naïve résumé — déjà vu. Größe und Übermaß sind schön. Ça coûte cher à l'été.",
};

describe("text decoding", () => {
  it.each(Object.entries(SAMPLES))("detects %s", async (encoding, sample) => {
    const bytes = encode(sample, encoding);
    expect(decodeBytes(bytes).encoding).toBe(encoding);
    const doc = await parseDocument(bytes, "text");
    expect(doc.text).toBe(sample);
  });

  it("decodes UTF-8 with and without BOM, UTF-16LE/BE with BOM and UTF-16LE without", async () => {
    const sample = "Grüße aus 北京 — 𐌲𐌿𐍄𐌹𐍃𐌺";
    const variants = [
      new TextEncoder().encode(sample),
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(sample)]),
      encode(`\ufeff${sample}`, "utf-16le"),
      encode(`\ufeff${sample}`, "utf-16be"),
      encode("plain ascii in utf-16 without a byte order mark", "utf-16le"),
    ];
    expect((await parseDocument(variants[0]!, "text")).text).toBe(sample);
    expect((await parseDocument(variants[1]!, "text")).text).toBe(sample);
    expect((await parseDocument(variants[2]!, "text")).text).toBe(sample);
    expect((await parseDocument(variants[3]!, "text")).text).toBe(sample);
    expect((await parseDocument(variants[4]!, "text")).text).toBe(
      "plain ascii in utf-16 without a byte order mark",
    );
  });

  it("normalizes: NFC, CRLF, control characters, runs of spaces, blank lines", async () => {
    const raw = "Cafe\u0301\r\nline  two\t\tend   \r\n\r\n\r\n\r\nnext\u0007 para\u00a0\u00a0x\n\n\n";
    const doc = await parseDocument(new TextEncoder().encode(raw), "text");
    expect(doc.text).toBe("Café\nline two end\n\nnext para x");
    expect(doc).toMatchObject({ format: "text", title: null, pages: [], headings: [] });
  });

  it("keeps indentation in plain text and code", async () => {
    const doc = await parseDocument(new TextEncoder().encode("def f():\n    return 1\n"), "text");
    expect(doc.text).toBe("def f():\n    return 1");
  });

  it("rejects whitespace-only and empty text as empty", async () => {
    for (const bytes of [new Uint8Array(), new TextEncoder().encode(" \n\t\n  ")]) {
      const error = await parseDocument(bytes, "text").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toMatchObject({ code: "empty", permanent: true });
    }
  });
});

describe("markdown", () => {
  it("records ATX headings with their offsets and keeps code blocks", async () => {
    const doc = await parseDocument(fixture("markdown/mammoth_README.md"), "markdown");
    expect(doc.title).toBe("Mammoth .docx to HTML converter");
    expect(doc.headings.length).toBeGreaterThan(40);
    expect(doc.headings.slice(0, 3)).toEqual([
      { level: 1, text: "Mammoth .docx to HTML converter", start: 0 },
      { level: 2, text: "Web demo", start: expect.any(Number) },
      { level: 2, text: "Installation", start: expect.any(Number) },
    ]);
    for (const h of doc.headings)
      expect(doc.text.slice(h.start, h.start + h.level + 1)).toBe(`${"#".repeat(h.level)} `);
    expect(doc.text).toContain("```javascript");
    expect(doc.text).toContain('mammoth.convertToHtml({path: "path/to/document.docx"})');
    // "# comment" lines inside code blocks are not headings.
    expect(doc.headings.every((h) => !h.text.startsWith("!"))).toBe(true);
  });

  it("reads the Chinese README: headings, text, and no layout HTML", async () => {
    const doc = await parseDocument(fixture("markdown/cmrc2018_README_CN.md"), "markdown");
    expect(doc.headings.map((h) => h.text)).toEqual(
      expect.arrayContaining([
        "CMRC 2018 公开数据集",
        "提交方法",
        "通过🤗datasets快速加载",
        "引用",
        "联系我们",
      ]),
    );
    expect(doc.text).toContain("本数据集已被计算语言学顶级国际会议");
    expect(doc.text).not.toMatch(/<img|<p align/);
    expect(doc.title).toBeNull(); // the README has no level-1 heading
  });

  it("records setext headings, ignores front matter and strips heading markup from heading text", async () => {
    const md =
      "---\ntitle: Guide\nauthor: me\n---\nIntro\n=====\n\nText.\n\nPart **two**\n---\n\n## See [docs](http://x)\n";
    const doc = await parseDocument(new TextEncoder().encode(md), "markdown");
    expect(doc.title).toBe("Guide");
    expect(doc.headings.map((h) => [h.level, h.text])).toEqual([
      [1, "Intro"],
      [2, "Part two"],
      [2, "See docs"],
    ]);
    expect(doc.text.slice(doc.headings[0]!.start).startsWith("Intro\n=====")).toBe(true);
  });

  it("keeps tables and small syntax of the tika sample", async () => {
    const doc = await parseDocument(fixture("markdown/tika_testMARKDOWN.md"), "markdown");
    expect(doc.text).toContain("| a | b | c |");
    expect(doc.text).toContain('System.out.println("hi");');
    expect(doc.text).toContain("Café naïve résumé");
  });
});
