import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BulkImportBody } from "../../src/routes/documents/bulk.js";
import { PLATFORM_KEY } from "../helpers/app.js";
import { epub, pptx } from "../helpers/book-files.js";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";
import { packPlugin } from "../helpers/plugins.js";

/**
 * Plugins inside ingestion (issue 19): an organization's enabled loaders make XLSX, PPTX, EPUB and
 * scanned PDFs uploadable and searchable with their page numbers; PII redaction rewrites documents of
 * the knowledge bases it is set for before they are chunked; a loader that hangs or crashes fails only
 * its own document. Every plugin is installed from its `npm pack` tarball, with no network.
 */
let s: IngestStack;
/** About a chunk's worth of text that matches none of the searches below. */
const FILLER = [
  "Staff park in the north yard, visitors use the south gate, and deliveries arrive before seven.",
  "The canteen serves soup from noon until three on weekdays, and the library lends timetables.",
  "Lockers are emptied on the last Friday of each month; lost property waits at the front desk.",
];
let org: Awaited<ReturnType<typeof tenantWithKb>>;

/** A loader that hangs on .hang files and exits its process on .crash files. */
function hostileLoader(): string {
  const dir = mkdtempSync(join(tmpdir(), "aihub-hostile-loader-"));
  writeFileSync(
    join(dir, "aihub-plugin.json"),
    JSON.stringify({
      id: "hostile-loader",
      version: "1.0.0",
      kind: "loader",
      name: "Hostile loader",
      hostApi: "^1.0.0",
      permissions: { network: [], files: "none", hostCalls: [] },
      limits: { memoryMb: 64, timeMs: 1500 },
      extensions: [".hang", ".crash"],
    }),
  );
  writeFileSync(
    join(dir, "index.mjs"),
    `export function load(input) {
  if (input.filename.endsWith(".crash")) process.exit(3);
  for (;;) {}
}\n`,
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "hostile-loader", version: "1.0.0", type: "module" }),
  );
  return dir;
}

/** A text filter that writes "JavaScript" as "[LANG]", in the knowledge base its configuration names. */
function wordFilter(): string {
  const dir = mkdtempSync(join(tmpdir(), "aihub-word-filter-"));
  writeFileSync(
    join(dir, "aihub-plugin.json"),
    JSON.stringify({
      id: "word-filter",
      version: "1.0.0",
      kind: "text-filter",
      name: "Word filter",
      hostApi: "^1.0.0",
      configSchema: { type: "object", properties: { kb: { type: "string" } } },
      permissions: { network: [], files: "none", hostCalls: [] },
    }),
  );
  writeFileSync(
    join(dir, "index.mjs"),
    `export function filter(input, host) {
  if (input.knowledgeBaseId !== host.config.kb) return { pages: input.pages };
  return { pages: input.pages.map((p) => ({ page: p.page, text: p.text.replaceAll("JavaScript", "[LANG]") })) };
}\n`,
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "word-filter", version: "1.0.0", type: "module" }),
  );
  return dir;
}

async function install(folder: string) {
  const { bytes } = packPlugin(folder);
  const sha = createHash("sha256").update(bytes).digest("hex");
  const res = await s.t.app.request(`/v1/platform/plugins?sha256=${sha}`, {
    method: "POST",
    headers: { authorization: `Bearer ${PLATFORM_KEY}`, "content-type": "application/gzip" },
    body: new Uint8Array(bytes),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

const setPlugin = (id: string, enabled: boolean, config?: Record<string, unknown>) =>
  s.t.call("PUT", `/v1/plugins/${id}`, {
    key: org.adminKey,
    body: { enabled, ...(config ? { config } : {}) },
  });

async function ingest(bytes: Uint8Array, name: string, type?: string, kbId = org.kbId) {
  const r = await upload(s.t, org.adminKey, kbId, { bytes, name, type });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return waitForTerminal(s.t, org.adminKey, r.body.id, 240_000);
}

async function search(query: string, kbId = org.kbId) {
  const r = await s.t.call("POST", "/v1/search", {
    key: org.adminKey,
    body: { query, knowledge_base_ids: [kbId], top_k: 5 },
  });
  expect(r.status).toBe(200);
  return r.body.data as {
    document_id: string;
    text: string;
    page_start: number | null;
    page_end: number | null;
  }[];
}

async function workbook(vehicle = "Zeppelin Hindenburg Replica", depot = "Okęcie hangar"): Promise<Buffer> {
  const zip = new JSZip();
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  zip.file(
    "xl/workbook.xml",
    `<workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Fleet" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  zip.file(
    "xl/_rels/workbook.xml.rels",
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  const rows = [
    ["Vehicle", "Depot"],
    ["Tram 101", "Mokotów"],
    ["Tram 102", "Wola"],
    [vehicle, depot],
  ];
  zip.file(
    "xl/worksheets/sheet1.xml",
    `<worksheet ${ns}><sheetData>${rows
      .map(
        (r, i) =>
          `<row r="${i + 1}">${r.map((v, j) => `<c r="${"AB"[j]}${i + 1}" t="inlineStr"><is><t>${v}</t></is></c>`).join("")}</row>`,
      )
      .join("")}</sheetData></worksheet>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

beforeAll(async () => {
  s = await startIngestStack("pglite", {
    // OCR of a two-page scan on a shared 2-core machine can take over the default 60 s per call.
    env: { PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")), PLUGIN_MAX_TIME_MS: "600000" },
  });
  // Small chunks, so each slide or chapter below is chunked on its own and its page number shows.
  org = await tenantWithKb(s.t, { chunk_size: 64, chunk_overlap: 0 });
  for (const name of ["spreadsheets", "presentations", "epub", "ocr", "pii-redaction"]) {
    await install(`src/plugins/core/${name}`);
  }
  await install(hostileLoader());
  await install(wordFilter());
}, 300_000);
afterAll(async () => {
  s.t.deps.plugins?.close();
  await s?.close();
});

describe("loaders in ingestion (issue 19)", () => {
  it("refuses XLSX, PPTX and EPUB with 415 until a loader is enabled, then ingests them with their pages", async () => {
    const deck = await pptx("Depot guide", [
      { text: ["Opening hours", ...FILLER], notes: ["The depot opens at six."] },
      { text: ["Tram washing", "Trams are washed every Thursday in the Nowa Huta bay."] },
    ]);
    const book = await epub("Tram stories", [
      { heading: "Prologue", paragraphs: ["A quiet morning.", ...FILLER] },
      {
        heading: "Chapter 2",
        paragraphs: ["The conductor lost her ticket punch near the Vistula boulevard."],
      },
    ]);
    const xlsx = await workbook();
    const refused = await upload(s.t, org.adminKey, org.kbId, { bytes: deck, name: "depot.pptx" });
    expect(refused.status).toBe(415);
    expect(refused.body.code).toBe("unsupported_media_type");
    expect(refused.body.detail).toMatch(/loader plugin/);

    for (const id of ["spreadsheets", "presentations", "epub"]) {
      expect((await setPlugin(id, true)).status).toBe(200);
    }
    const docs = {
      pptx: await ingest(deck, "depot.pptx"),
      epub: await ingest(book, "stories.epub", "application/epub+zip"),
      xlsx: await ingest(xlsx, "fleet.xlsx"),
    };
    for (const d of Object.values(docs)) expect(d.status, JSON.stringify(d)).toBe("ready");
    expect(docs.pptx.title).toBe("Depot guide");

    // The hit spans the page its answer is on, and the stored text puts the answer on that page.
    const onPage = async (query: string, docId: string, page: number, words: string) => {
      const hit = (await search(query))[0]!;
      expect(hit.document_id).toBe(docId);
      expect(hit.text).toContain(words);
      expect(hit.page_start).toBeLessThanOrEqual(page);
      expect(hit.page_end).toBeGreaterThanOrEqual(page);
      const stored = await s.t.call("GET", `/v1/documents/${docId}/text`, { key: org.adminKey });
      const extent = (stored.body.pages as { number: number; start: number; end: number }[]).find(
        (p) => p.number === page,
      )!;
      expect((stored.body.text as string).slice(extent.start, extent.end)).toContain(words);
    };
    await onPage("When are trams washed in Nowa Huta?", docs.pptx.id, 2, "washed every Thursday");
    await onPage("conductor ticket punch Vistula boulevard", docs.epub.id, 2, "lost her ticket punch");
    const zeppelin = (await search("Zeppelin Hindenburg Replica hangar"))[0]!;
    expect(zeppelin.document_id).toBe(docs.xlsx.id);
    expect(zeppelin.text).toContain("Vehicle: Zeppelin Hindenburg Replica; Depot: Okęcie hangar");
  }, 300_000);

  it("a bulk ZIP import hands its XLSX entry to the loader, next to a text entry read as usual", async () => {
    expect((await setPlugin("spreadsheets", true)).status).toBe(200);
    const archive = new JSZip();
    archive.file("sheets/fleet-2.xlsx", await workbook("Funicular Gubałówka", "Zakopane shed"));
    archive.file("notes/a.txt", "Plain notes about the harbour ferry timetable.");
    const bytes = await archive.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    const kb = await s.t.call("POST", "/v1/knowledge-bases", { key: org.adminKey, body: { name: "Bulk" } });
    const res = await s.t.app.request(`/v1/knowledge-bases/${kb.body.id}/documents/bulk`, {
      method: "POST",
      headers: { authorization: `Bearer ${org.adminKey}`, "content-type": "application/zip" },
      body: bytes as unknown as BodyInit,
    });
    const body = (await res.json()) as BulkImportBody;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body, JSON.stringify(body)).toMatchObject({ accepted: 2, failed: 0 });
    for (const d of body.documents) {
      expect((await waitForTerminal(s.t, org.adminKey, d.id, 120_000)).status).toBe("ready");
    }
    const sheet = body.documents.find((d) => d.entry === "sheets/fleet-2.xlsx")!;
    const hit = (await search("Funicular Gubałówka Zakopane shed", kb.body.id))[0]!;
    expect(hit.document_id).toBe(sheet.id);
    expect(hit.text).toContain("Vehicle: Funicular Gubałówka; Depot: Zakopane shed");
  }, 180_000);

  it("a scanned PDF fails with a message naming the OCR plugin; with ocr enabled it becomes searchable", async () => {
    const scan = await fixture("pdf/tika_testOCR.pdf");
    const before = await ingest(scan, "greeting.pdf", "application/pdf");
    expect(before).toMatchObject({ status: "failed", error: { code: "no_text" } });
    expect(before.error.message).toMatch(/enable the OCR plugin \(ocr\)/);

    expect((await setPlugin("ocr", true, { languages: ["eng"] })).status).toBe(200);
    const kb2 = await s.t.call("POST", "/v1/knowledge-bases", { key: org.adminKey, body: { name: "Scans" } });
    const after = await ingest(scan, "greeting.pdf", "application/pdf", kb2.body.id);
    expect(after.status, JSON.stringify(after)).toBe("ready");
    const hit = (await search("Happy New Year 2003", kb2.body.id))[0]!;
    expect(hit).toMatchObject({ document_id: after.id, page_start: 1 });
    expect(hit.text).toMatch(/Happy New Year 2003/);
    // Two JPEG scans of a Russian form with an English line on page 2: the hit names page 2.
    const form = await ingest(
      await fixture("pdf/pdfjs_issue7229.pdf"),
      "form.pdf",
      "application/pdf",
      kb2.body.id,
    );
    expect(form.status, JSON.stringify(form)).toBe("ready");
    expect(form.pages).toBe(2);
    const english = (await search("Results of the roadworthiness inspection", kb2.body.id))[0]!;
    expect(english.document_id).toBe(form.id);
    expect(english.page_start).toBeLessThanOrEqual(2);
    expect(english.page_end).toBe(2);
    expect(english.text).toMatch(/roadworthiness inspection/);
  }, 400_000);

  it("a Simplified Chinese scan becomes searchable with the ocr plugin set to chi_sim", async () => {
    expect((await setPlugin("ocr", true, { languages: ["chi_sim"] })).status).toBe(200);
    const kb = await s.t.call("POST", "/v1/knowledge-bases", {
      key: org.adminKey,
      body: { name: "扫描件", language: "zh" },
    });
    const lake = await ingest(
      await fixture("pdf/aihub_scan_zh.pdf"),
      "lake.pdf",
      "application/pdf",
      kb.body.id,
    );
    expect(lake.status, JSON.stringify(lake)).toBe("ready");
    const hit = (await search("湖面海拔多少米？", kb.body.id))[0]!;
    expect(hit).toMatchObject({ document_id: lake.id, page_start: 1 });
    expect(hit.text.replace(/\s+/g, "")).toContain("湖面海拔4528米");
  }, 240_000);

  it("a hanging or crashing loader fails only its own document, with the plugin's code", async () => {
    expect((await setPlugin("hostile-loader", true)).status).toBe(200);
    const [hang, crash, fine] = await Promise.all([
      ingest(new Uint8Array([1, 2, 3, 0]), "forever.hang"),
      ingest(new Uint8Array([4, 5, 6, 0]), "boom.crash"),
      ingest(new TextEncoder().encode("Plain text about the Mokotów tram depot still works."), "note.txt"),
    ]);
    expect(hang).toMatchObject({ status: "failed", error: { code: "plugin_timeout" } });
    expect(crash).toMatchObject({ status: "failed", error: { code: "plugin_crashed" } });
    expect(crash.error.message).toMatch(/hostile-loader/);
    expect(fine.status).toBe("ready");
    expect((await s.t.app.request("/healthz")).status).toBe(200);
  }, 120_000);
});

describe("text filters in ingestion (issue 19)", () => {
  it("PII redaction rewrites documents of the knowledge bases it is set for, before chunking", async () => {
    const hr = await s.t.call("POST", "/v1/knowledge-bases", { key: org.adminKey, body: { name: "HR" } });
    const open = await s.t.call("POST", "/v1/knowledge-bases", { key: org.adminKey, body: { name: "Open" } });
    expect((await setPlugin("pii-redaction", true, { knowledgeBases: [hr.body.id] })).status).toBe(200);
    const text = "# Payroll contact\n\nWrite to jan.kowalski@example.com about the payroll calendar.\n";
    const redacted = await ingest(new TextEncoder().encode(text), "payroll.md", "text/markdown", hr.body.id);
    const kept = await ingest(new TextEncoder().encode(text), "payroll.md", "text/markdown", open.body.id);
    expect([redacted.status, kept.status]).toEqual(["ready", "ready"]);
    const inHr = await search("payroll calendar contact", hr.body.id);
    expect(inHr[0]!.text).toContain("Write to [EMAIL] about the payroll calendar.");
    const email = await search("jan.kowalski@example.com", hr.body.id);
    expect(email.every((c) => !c.text.includes("jan.kowalski"))).toBe(true);
    const stored = await s.t.call("GET", `/v1/documents/${redacted.id}/text`, { key: org.adminKey });
    expect(stored.body.text).not.toContain("jan.kowalski");
    const inOpen = await search("payroll calendar contact", open.body.id);
    expect(inOpen[0]!.text).toContain("jan.kowalski@example.com");
  }, 120_000);

  it("filters a PDF's pages too, keeping its page numbers", async () => {
    const papers = await s.t.call("POST", "/v1/knowledge-bases", {
      key: org.adminKey,
      body: { name: "Papers" },
    });
    expect((await setPlugin("word-filter", true, { kb: papers.body.id })).status).toBe(200);
    const pdf = await ingest(
      await fixture("pdf/pdfjs_tracemonkey.pdf"),
      "tracemonkey.pdf",
      "application/pdf",
      papers.body.id,
    );
    expect(pdf.status, JSON.stringify(pdf)).toBe("ready");
    expect(pdf.pages).toBe(14);
    const hits = await search("dynamic languages such as JavaScript trace compilation", papers.body.id);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => !h.text.includes("JavaScript") && h.page_start !== null)).toBe(true);
    expect(hits.some((h) => h.text.includes("[LANG]"))).toBe(true);
    expect((await setPlugin("word-filter", false)).status).toBe(200);
  }, 180_000);
});
