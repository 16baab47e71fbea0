import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

/** GET /v1/documents/{id}/chunks, /text and /content: what was indexed, and the original back. */
describe("reading a document's chunks, text and original file", () => {
  let s: IngestStack;
  let a: Awaited<ReturnType<typeof tenantWithKb>>;
  let pdf: { id: string; version: string; chunks: number };
  let pdfBytes: Uint8Array;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    a = await tenantWithKb(s.t);
    pdfBytes = await fixture("pdf/pdfjs_tracemonkey.pdf");
    const up = await upload(s.t, a.ingestKey, a.kbId, { bytes: pdfBytes, name: "tracemonkey.pdf" });
    const doc = await waitForTerminal(s.t, a.ingestKey, up.body.id);
    expect(doc.status).toBe("ready");
    pdf = { id: up.body.id, version: up.body.version_id, chunks: doc.chunks };
    // Ingesting fixtures on a shared 2-core machine can take longer than the default hook timeout.
  }, 180_000);
  afterAll(async () => s?.close());

  it("pages through every chunk, each the slice of the text its offsets name", async () => {
    const text = await s.t.call("GET", `/v1/documents/${pdf.id}/text`, { key: a.ingestKey });
    expect(text.status).toBe(200);
    expect(text.body).toMatchObject({
      document_id: pdf.id,
      version_id: pdf.version,
      format: "pdf",
      rebuilt: false,
    });
    expect(text.body.pages).toHaveLength(14);
    expect(text.body.pages[0]).toMatchObject({ number: 1, start: 0 });
    expect(text.body.text).toMatch(/Trace-based Just-in-Time Type Specialization/);

    const seen: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const r = await s.t.call("GET", `/v1/documents/${pdf.id}/chunks?limit=7${q}`, { key: a.ingestKey });
      expect(r.status).toBe(200);
      expect(r.body.version_id).toBe(pdf.version);
      expect(r.body.data.length).toBeLessThanOrEqual(7);
      seen.push(...r.body.data);
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(pdf.chunks / 7));
    expect(seen.map((c) => c.ordinal)).toEqual(Array.from({ length: pdf.chunks }, (_, i) => i));
    for (const c of seen) {
      expect(c.text).toBe(text.body.text.slice(c.char_start, c.char_end));
      expect(c.page_start).toBeGreaterThanOrEqual(1);
      expect(c.page_end).toBeLessThanOrEqual(14);
      expect(Array.isArray(c.heading_path)).toBe(true);
      expect(c.tokens).toBeGreaterThan(0);
    }
    const bad = await s.t.call("GET", `/v1/documents/${pdf.id}/chunks?cursor=abc`, { key: a.ingestKey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("cursor");
  });

  it("returns the original bytes with their type and file name", async () => {
    const res = await s.t.app.request(`/v1/documents/${pdf.id}/content`, {
      headers: { authorization: `Bearer ${a.ingestKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="tracemonkey.pdf"; filename*=UTF-8''tracemonkey.pdf`,
    );
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdfBytes);

    const md = await upload(s.t, a.ingestKey, a.kbId, {
      bytes: new TextEncoder().encode("# 说明书\n\n按下电源键三秒钟即可开机。\n"),
      name: "说明书.md",
    });
    await waitForTerminal(s.t, a.ingestKey, md.body.id);
    const got = await s.t.app.request(`/v1/documents/${md.body.id}/content`, {
      headers: { authorization: `Bearer ${a.ingestKey}` },
    });
    expect(got.headers.get("content-type")).toBe("text/markdown");
    expect(got.headers.get("content-disposition")).toBe(
      `attachment; filename="___.md"; filename*=UTF-8''${encodeURIComponent("说明书.md")}`,
    );
    expect(got.headers.get("content-security-policy")).toBe("sandbox");
    expect(await got.text()).toContain("按下电源键三秒钟即可开机");
  });

  it("answers 404 across tenants, outside a key's knowledge bases and for another document's version", async () => {
    const b = await tenantWithKb(s.t);
    const other = await s.t.call("POST", "/v1/knowledge-bases", { key: a.adminKey, body: { name: "Other" } });
    const restricted = await s.t.newKey(a.adminKey, ["query"], { knowledge_base_ids: [other.body.id] });
    const reader = await s.t.newKey(a.adminKey, ["query"]);
    for (const path of ["chunks", "text", "content"]) {
      const url = `/v1/documents/${pdf.id}/${path}`;
      for (const key of [b.adminKey, b.ingestKey, restricted.key]) {
        const r = await s.t.call("GET", url, { key });
        expect(r.status, `${path} with a key that may not see it`).toBe(404);
        expect(r.body.code).toBe("not_found");
      }
      expect((await s.t.call("GET", url, { key: reader.key })).status, `${path}, query key`).toBe(200);
      expect((await s.t.call("GET", url, { key: null })).status).toBe(401);
      const foreignVersion = await s.t.call("GET", `${url}?version_id=ver_nope`, { key: a.ingestKey });
      expect(foreignVersion.status).toBe(404);
    }
  });

  it("says why a failed document has no text", async () => {
    const scan = await upload(s.t, a.ingestKey, a.kbId, {
      bytes: await fixture("pdf/pdfjs_issue7229.pdf"),
      name: "scan.pdf",
    });
    const doc = await waitForTerminal(s.t, a.ingestKey, scan.body.id);
    expect(doc.error.code).toBe("no_text");
    // Failures report the page count once it is known (one rule for every failed PDF).
    expect(doc.pages).toBeGreaterThan(0);
    const text = await s.t.call("GET", `/v1/documents/${scan.body.id}/text`, { key: a.ingestKey });
    expect(text.status).toBe(409);
    expect(text.body.detail).toMatch(/failed/);
    const chunks = await s.t.call("GET", `/v1/documents/${scan.body.id}/chunks`, { key: a.ingestKey });
    expect(chunks.body).toMatchObject({ data: [], next_cursor: null });
  });

  it("documents the three operations in the OpenAPI document", async () => {
    const spec = (await s.t.call("GET", "/openapi.json", { key: null })).body;
    for (const p of ["chunks", "text", "content"]) {
      expect(spec.paths[`/v1/documents/{id}/${p}`]?.get?.summary, p).toBeTruthy();
    }
  });
});
