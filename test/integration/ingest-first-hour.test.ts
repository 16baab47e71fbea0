import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptedDocx, lateMetaCp1251Page } from "../helpers/documents.js";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

/** Documents that used to fail, and progress a person can watch (issue 11). */
describe("ingestion a new user meets first", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    kb = await tenantWithKb(s.t);
    // Ingesting fixtures on a shared 2-core machine can take longer than the default hook timeout.
  }, 180_000);
  afterAll(async () => s?.close());

  it("reads a windows-1251 page whose meta follows 40 KB of script: Russian queries find it", async () => {
    const page = lateMetaCp1251Page();
    const up = await upload(s.t, kb.ingestKey, kb.kbId, { bytes: page.bytes, name: "skovoroda.html" });
    expect(up.status).toBe(202);
    const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id);
    expect(doc).toMatchObject({ status: "ready", format: "html", title: page.title });
    const query = await s.t.newKey(kb.adminKey, ["query"]);
    const found = await s.t.call("POST", "/v1/search", {
      key: query.key,
      body: { query: "как прокалить сковороду в духовке", knowledge_base_ids: [kb.kbId], top_k: 3 },
    });
    expect(found.status).toBe(200);
    expect(found.body.data[0]).toMatchObject({ document_id: up.body.id, title: page.title });
    expect(found.body.data[0].text).toContain(page.phrase);
  });

  it("fails a password-protected DOCX as encrypted, saying what to do", async () => {
    const up = await upload(s.t, kb.ingestKey, kb.kbId, { bytes: encryptedDocx(), name: "secret.docx" });
    expect(up.status).toBe(202);
    const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id);
    expect(doc.status).toBe("failed");
    expect(doc.error.code).toBe("encrypted");
    expect(doc.error.message).toMatch(/password-protected\. Remove the password .* upload it again/);
    expect(doc.pages).toBeNull();
    expect(doc.attempts).toBe(1);
  });

  it("streams the 352-page book's progress with at least five increasing percentages", async () => {
    const up = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("pdf/pdfjs_freeculture.pdf"),
      name: "free-culture.pdf",
    });
    const res = await s.t.app.request(`/v1/documents/${up.body.id}/events`, {
      headers: { authorization: `Bearer ${kb.ingestKey}` },
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events: { event: string; data: any }[] = [];
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
    expect(events.at(-1)?.event).toBe("ready");
    const percents = events.map((e) => e.data.progress.percent as number);
    for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]!);
    const distinct = [...new Set(percents)];
    expect(distinct.length, `percentages seen: ${percents.join(", ")}`).toBeGreaterThanOrEqual(5);
    expect(distinct.at(-1)).toBe(100);
    // updated_at moves with the progress, not only at the end.
    const stamps = new Set(events.filter((e) => e.event === "progress").map((e) => e.data.updated_at));
    expect(stamps.size).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)!.data.pages).toBe(352);

    // The book's outline (bookmarks) becomes the chunks' heading paths, in reading order.
    const chunks: any[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const r = await s.t.call("GET", `/v1/documents/${up.body.id}/chunks?limit=200${q}`, {
        key: kb.ingestKey,
      });
      chunks.push(...r.body.data);
      cursor = r.body.next_cursor;
    } while (cursor);
    const tops = chunks.map((c) => c.heading_path[0] ?? "");
    const runs = tops.filter((t, i) => i === 0 || t !== tops[i - 1]);
    expect(new Set(runs).size, "each top-level entry covers one run of chunks").toBe(runs.length);
    expect(runs).toEqual(expect.arrayContaining(["PREFACE", "INTRODUCTION"]));
    expect(runs.length).toBeGreaterThanOrEqual(10);
    const preface = chunks.find((c) => c.heading_path[0] === "PREFACE");
    expect(preface.text).toMatch(/PREFACE/i);
    expect(chunks.some((c) => c.heading_path.length >= 2)).toBe(true);
  });
});
