import { afterAll, describe, expect, it } from "vitest";
import { invoke } from "../../src/plugins/package.js";
import type { PluginSandbox } from "../../src/plugins/sandbox/pool.js";
import { sandboxFromTarball } from "../helpers/plugins.js";

/** Core plugins (issue 19), each packed with `npm pack` (offline), unpacked by the host's reader, run sandboxed. */
const open: PluginSandbox[] = [];
afterAll(() => {
  for (const s of open) s.close();
});
const fromTarball = (folder: string) => sandboxFromTarball(folder, open);

describe("core plugin: PII redaction", () => {
  const page = [
    "Contact Jane at jane.doe@example.com or +1 415-555-0132; 手机 138 0013 8000.",
    "身份证号 11010519491231002X，卡号 4111 1111 1111 1111。",
    "Order 4111 1111 1111 1112 and ID 110105194912310021 are not personal data (bad check digits).",
  ].join("\n");

  it("redacts e-mails, phones, checksum-valid Chinese IDs and Luhn-valid cards, and counts them", async () => {
    const s = await fromTarball("src/plugins/core/pii-redaction");
    const out = await invoke(s, "text-filter", "filter", { pages: [{ page: 3, text: page }] }, {});
    expect(out.pages[0]!.page).toBe(3);
    const text = out.pages[0]!.text;
    expect(text).toContain("Contact Jane at [EMAIL] or [PHONE]; 手机 [PHONE].");
    expect(text).toContain("身份证号 [CN_ID]，卡号 [CARD]。");
    expect(text).toContain("Order 4111 1111 1111 1112 and ID 110105194912310021 are not");
    expect(out.counts).toEqual({ email: 1, phone: 2, cn_id: 1, card: 1 });
  });

  it("keeps to the configured categories and knowledge bases", async () => {
    const s = await fromTarball("src/plugins/core/pii-redaction");
    const only = await invoke(
      s,
      "text-filter",
      "filter",
      { pages: [{ page: 1, text: page }] },
      { categories: ["email"] },
    );
    expect(only.counts).toEqual({ email: 1 });
    const other = await invoke(
      s,
      "text-filter",
      "filter",
      { pages: [{ page: 1, text: page }], knowledgeBaseId: "kb_other" },
      { knowledgeBases: ["kb_hr"] },
    );
    expect(other.pages[0]!.text).toBe(page);
  });
});

describe("core plugin: glossary expander", () => {
  it("adds synonyms of whole-word terms and Chinese terms, once", async () => {
    const s = await fromTarball("src/plugins/core/glossary-expander");
    const config = { terms: { PTO: ["paid time off", "vacation"], 年假: ["带薪休假"], API: ["interface"] } };
    const en = await invoke(
      s,
      "query-expander",
      "expand",
      { query: "How much PTO do I get? vacation rules" },
      config,
    );
    expect(en.query).toBe("How much PTO do I get? vacation rules paid time off");
    const zh = await invoke(s, "query-expander", "expand", { query: "年假有几天" }, config);
    expect(zh.query).toBe("年假有几天 带薪休假");
    const none = await invoke(s, "query-expander", "expand", { query: "rapid deployment" }, config);
    expect(none.query).toBe("rapid deployment");
  });
});

describe("core plugin: MMR reranker", () => {
  it("puts a distinct chunk ahead of near-duplicates, and lambda 1 keeps relevance order", async () => {
    const s = await fromTarball("src/plugins/core/mmr-reranker");
    const chunks = [
      { id: "a", text: "Warsaw is the capital of Poland.", score: 0.9 },
      { id: "b", text: "Warsaw is the capital of Poland!", score: 0.89 },
      { id: "c", text: "Kraków was the royal capital before Warsaw.", score: 0.7 },
    ];
    const diverse = await invoke(
      s,
      "reranker",
      "rerank",
      { query: "capital of Poland", chunks },
      { lambda: 0.5 },
    );
    expect(diverse.scores[2]).toBeGreaterThan(diverse.scores[1]!);
    const relevant = await invoke(
      s,
      "reranker",
      "rerank",
      { query: "capital of Poland", chunks },
      { lambda: 1 },
    );
    expect(relevant.scores[0]).toBeGreaterThan(relevant.scores[2]!);
    expect(relevant.scores[1]).toBeGreaterThan(relevant.scores[2]!);
  });
});

describe("core plugin: webhook postprocessor", () => {
  it("posts the answer to the configured URL with a verifiable HMAC signature, as the configured URL is its only network grant", async () => {
    const { createServer } = await import("node:http");
    const { createHmac, timingSafeEqual } = await import("node:crypto");
    const got: { body: string; signature: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        got.push({ body, signature: String(req.headers["x-aihub-signature"]) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as import("node:net").AddressInfo).port;
    const secret = "whsec_0123456789abcdef";
    // The receiver is on 127.0.0.1, which plugins reach only when the operator allows private hosts.
    const s = await sandboxFromTarball("src/plugins/core/webhook-postprocessor", open, {
      allowPrivateHosts: true,
    });
    const input = { question: "Capital?", answer: "Warsaw [1].", citations: [{ n: 1, documentId: "doc_1" }] };
    const out = await invoke(s, "postprocessor", "process", input, {
      url: `http://127.0.0.1:${port}/hook`,
      signingSecret: secret,
    });
    expect(out.answer).toBe("Warsaw [1].");
    expect(got).toHaveLength(1);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got[0]!.signature)!;
    const expected = createHmac("sha256", secret).update(`${t}.${got[0]!.body}`).digest();
    expect(timingSafeEqual(Buffer.from(v1!, "hex"), expected)).toBe(true);
    expect(JSON.parse(got[0]!.body)).toMatchObject({
      type: "answer",
      answer: "Warsaw [1].",
      question: "Capital?",
    });
    server.close();
  });
});

describe("core plugin: spreadsheets", () => {
  /** A real workbook written the way Excel lays it out: shared strings, an inline string, numbers, two sheets. */
  async function workbook(): Promise<Buffer> {
    const { default: JSZip } = await import("jszip");
    const zip = new JSZip();
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    zip.file(
      "[Content_Types].xml",
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    );
    zip.file(
      "xl/workbook.xml",
      `<workbook ${ns} ${rns}><sheets><sheet name="Prices &amp; plans" sheetId="1" r:id="rId1"/><sheet name="Staff" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    );
    zip.file(
      "xl/_rels/workbook.xml.rels",
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>',
    );
    zip.file(
      "xl/sharedStrings.xml",
      `<sst ${ns}><si><t>Plan</t></si><si><t>Price (USD)</t></si><si><t>Starter</t></si><si><r><t>Team</t></r><r><t xml:space="preserve"> plus</t></r></si></sst>`,
    );
    zip.file(
      "xl/worksheets/sheet1.xml",
      `<worksheet ${ns}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>9</v></c></row><row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>29.5</v></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>Enterprise</t></is></c><c r="C4"><v>1</v></c></row></sheetData></worksheet>`,
    );
    zip.file(
      "xl/worksheets/sheet2.xml",
      `<worksheet ${ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>张伟</t></is></c></row></sheetData></worksheet>`,
    );
    return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  }

  it("reads an XLSX: a page per sheet row range, cells as header: value", async () => {
    const s = await fromTarball("src/plugins/core/spreadsheets");
    const bytes = (await workbook()).toString("base64");
    const mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const out = await invoke(
      s,
      "loader",
      "load",
      { bytes, mediaType, filename: "pricing.xlsx" },
      { rowsPerPage: 2 },
    );
    expect(out.title).toBe("pricing");
    expect(out.pages).toEqual([
      {
        page: 1,
        text: 'Sheet "Prices & plans", rows 2-3\nPlan: Starter; Price (USD): 9\nPlan: Team plus; Price (USD): 29.5',
      },
      { page: 2, text: 'Sheet "Prices & plans", rows 4-4\nPlan: Enterprise; Column 3: 1' },
      { page: 3, text: 'Sheet "Staff", rows 2-2\nName: 张伟' },
    ]);
  });

  it("reads a CSV with quoted fields, semicolons and a BOM", async () => {
    const s = await fromTarball("src/plugins/core/spreadsheets");
    const csv = '\uFEFFCity;Note\r\nWarsaw;"Capital; on the ""Vistula"""\r\nKraków;Old capital\r\n';
    const out = await invoke(
      s,
      "loader",
      "load",
      { bytes: Buffer.from(csv).toString("base64"), mediaType: "text/csv", filename: "cities.csv" },
      {},
    );
    expect(out.pages).toEqual([
      {
        page: 1,
        text: 'Sheet "cities", rows 2-3\nCity: Warsaw; Note: Capital; on the "Vistula"\nCity: Kraków; Note: Old capital',
      },
    ]);
  });
});
