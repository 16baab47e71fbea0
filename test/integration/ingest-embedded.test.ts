import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { composeIngestion } from "../../src/runtime/ingestion.js";
import { hiddenVersionIds } from "../../src/services/documents/visibility.js";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

const problem = (body: any, status: number, code: string) => {
  expect(body).toMatchObject({ status, code });
  expect(typeof body.detail).toBe("string");
  expect(typeof body.requestId).toBe("string");
};

describe("ingestion, embedded profile (PGlite + engine + in-process queue)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    kb = await tenantWithKb(s.t);
  });
  afterAll(async () => s?.close());

  it("takes a PDF from upload to ready with one point per chunk", async () => {
    const bytes = await fixture("pdf/pdfjs_tracemonkey.pdf");
    const up = await upload(
      s.t,
      kb.ingestKey,
      kb.kbId,
      { bytes, name: "tracemonkey.pdf" },
      { metadata: '{"team":"js","year":2009}' },
    );
    expect(up.status).toBe(202);
    expect(up.body).toMatchObject({
      status: "queued",
      deduplicated: false,
      status_url: `/v1/documents/${up.body.id}`,
    });
    const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id);
    expect(doc).toMatchObject({
      status: "ready",
      pages: 14,
      format: "pdf",
      error: null,
      metadata: { team: "js", year: 2009 },
    });
    expect(doc.active_version_id).toBe(up.body.version_id);
    expect(doc.chunks).toBeGreaterThan(20);
    expect(doc.progress).toEqual({
      pages_parsed: 14,
      chunks_embedded: doc.chunks,
      chunks_indexed: doc.chunks,
      percent: 100,
    });
    expect(doc.timings.total_ms).toBeGreaterThan(0);
    expect(await s.vectors.count(kb.tenantId, { docVersion: doc.version_id })).toBe(doc.chunks);

    const list = await s.t.call("GET", `/v1/knowledge-bases/${kb.kbId}/documents?status=ready`, {
      key: kb.ingestKey,
    });
    expect(list.body.data.map((d: any) => d.id)).toContain(up.body.id);
    const failedOnly = await s.t.call("GET", `/v1/knowledge-bases/${kb.kbId}/documents?status=failed`, {
      key: kb.ingestKey,
    });
    expect(failedOnly.body.data.map((d: any) => d.id)).not.toContain(up.body.id);

    // Same bytes again: the existing document, nothing new processed.
    const again = await upload(s.t, kb.ingestKey, kb.kbId, { bytes, name: "copy.pdf" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: up.body.id,
      version_id: up.body.version_id,
      deduplicated: true,
      status: "ready",
    });
  });

  it("streams progress as SSE until ready", async () => {
    const up = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("markdown/qdrant_README.md"),
      name: "README.md",
    });
    const res = await s.t.app.request(`/v1/documents/${up.body.id}/events`, {
      headers: { authorization: `Bearer ${kb.ingestKey}` },
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream ends by itself at ready
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events.at(-1)).toBe("ready");
    const last = JSON.parse([...text.matchAll(/^data: (.*)$/gm)].at(-1)![1]!);
    expect(last).toMatchObject({ id: up.body.id, status: "ready", progress: { percent: 100 } });
  });

  it("replaces a version only once the new one is ready; searches never see both", async () => {
    const first = await upload(
      s.t,
      kb.ingestKey,
      kb.kbId,
      { bytes: await fixture("markdown/mammoth_README.md"), name: "a.md" },
      { external_id: "manual-1" },
    );
    const v1 = await waitForTerminal(s.t, kb.ingestKey, first.body.id);
    expect(v1.status).toBe("ready");

    const second = await upload(
      s.t,
      kb.ingestKey,
      kb.kbId,
      { bytes: await fixture("pdf/pdfjs_tracemonkey.pdf"), name: "b.pdf" },
      { external_id: "manual-1" },
    );
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.version_id).not.toBe(first.body.version_id);

    const q = await s.t.deps.embedder!.embedQuery("trace compilation javascript document conversion");
    const seen = new Set<string>();
    for (;;) {
      const status = (await s.t.call("GET", `/v1/documents/${first.body.id}`, { key: kb.ingestKey })).body;
      const hidden = await hiddenVersionIds(s.t.deps.database.db, kb.tenantId, [kb.kbId]);
      const hits = await s.vectors.query(kb.tenantId, {
        scope: { kbIds: [kb.kbId], docIds: [first.body.id], excludeDocVersions: hidden },
        mode: "hybrid",
        dense: q.dense,
        sparse: q.sparse,
        limit: 50,
      });
      const versions = new Set(hits.map((h) => h.payload.doc_version));
      expect(versions.size).toBeLessThanOrEqual(1);
      for (const v of versions) seen.add(v);
      if (status.status === "ready") break;
    }
    const after = (await s.t.call("GET", `/v1/documents/${first.body.id}`, { key: kb.ingestKey })).body;
    expect(after).toMatchObject({
      status: "ready",
      active_version_id: second.body.version_id,
      format: "pdf",
    });
    expect(seen.has(first.body.version_id)).toBe(true);
    expect(await s.vectors.count(kb.tenantId, { docVersion: first.body.version_id })).toBe(0);
    expect(await s.vectors.count(kb.tenantId, { docId: first.body.id })).toBe(after.chunks);
  });

  it("fails bad documents with a code and a message, and keeps serving", async () => {
    const cases: [string, string, string][] = [
      ["pdf/pdfjs_issue6010_1.pdf", "locked.pdf", "encrypted"],
      ["pdf/pdfjs_issue7229.pdf", "scan.pdf", "no_text"],
      ["pdf/pdfjs_bug1020226.pdf", "broken.pdf", "corrupt"],
      ["docx/mammoth_empty.docx", "empty.docx", "empty"],
    ];
    const garbagePdf = new Uint8Array([
      ...new TextEncoder().encode("%PDF-1.7\n"),
      ...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256),
    ]);
    const uploads = await Promise.all([
      ...cases.map(async ([path, name]) =>
        upload(s.t, kb.ingestKey, kb.kbId, { bytes: await fixture(path), name }),
      ),
      upload(s.t, kb.ingestKey, kb.kbId, { bytes: garbagePdf, name: "garbage.pdf" }),
    ]);
    const expected = [...cases.map((c) => c[2]), "corrupt"];
    for (const [i, up] of uploads.entries()) {
      expect(up.status).toBe(202);
      const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id);
      expect(doc.status).toBe("failed");
      expect(doc.error.code).toBe(expected[i]);
      expect(doc.error.message.length).toBeGreaterThan(20);
      expect(await s.vectors.count(kb.tenantId, { docId: up.body.id })).toBe(0);
    }
    const scan = (await s.t.call("GET", `/v1/documents/${uploads[1]!.body.id}`, { key: kb.ingestKey })).body;
    expect(scan.error.message).toMatch(/OCR/);

    // Rejected at the door: random bytes and a zip that is not DOCX.
    const garbage = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) % 256),
      name: "x.bin",
    });
    problem(garbage.body, 415, "unsupported_media_type");
    expect(garbage.body.detail).toMatch(/PDF, DOCX, HTML, Markdown/);
    const zip = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    problem(
      (await upload(s.t, kb.ingestKey, kb.kbId, { bytes: zip, name: "a.zip" })).body,
      415,
      "unsupported_media_type",
    );

    const good = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("html/tika_testHTML.html"),
      name: "ok.html",
    });
    expect((await waitForTerminal(s.t, kb.ingestKey, good.body.id)).status).toBe("ready");
  });

  it("refuses uploads over MAX_UPLOAD_MB before reading them whole, declared or streamed", async () => {
    const config = s.t.deps.config;
    const saved = config.MAX_UPLOAD_MB;
    config.MAX_UPLOAD_MB = 1;
    try {
      const big = new Uint8Array(1024 * 1024 + 10).fill(65);
      const declared = await s.t.app.request(`/v1/knowledge-bases/${kb.kbId}/documents?filename=big.txt`, {
        method: "POST",
        headers: { authorization: `Bearer ${kb.ingestKey}`, "content-length": String(big.length) },
        body: big,
      });
      expect(declared.status).toBe(413);
      problem(await declared.json(), 413, "payload_too_large");

      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 64 * 1024;
          // Never ends on its own: only the limit stops the reading.
          controller.enqueue(new Uint8Array(64 * 1024).fill(66));
        },
      });
      const chunked = await s.t.app.request(`/v1/knowledge-bases/${kb.kbId}/documents?filename=big.txt`, {
        method: "POST",
        headers: { authorization: `Bearer ${kb.ingestKey}` },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(pulled).toBeLessThan(2 * 1024 * 1024);
    } finally {
      config.MAX_UPLOAD_MB = saved;
    }
    const raw = await s.t.app.request(
      `/v1/knowledge-bases/${kb.kbId}/documents?filename=notes.txt&external_id=n1`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${kb.ingestKey}`, "content-type": "text/plain" },
        body: "Plain notes uploaded as a raw body.\n\nSecond paragraph.",
      },
    );
    expect(raw.status).toBe(202);
    const badMeta = await upload(
      s.t,
      kb.ingestKey,
      kb.kbId,
      { bytes: new TextEncoder().encode("hi"), name: "a.txt" },
      { metadata: '{"a":{"b":1}}' },
    );
    problem(badMeta.body, 400, "validation_failed");
    expect(badMeta.body.errors[0].field).toBe("metadata");
  });

  it("hides documents from other tenants and from keys restricted to other knowledge bases", async () => {
    const up = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("markdown/xquad_README.md"),
      name: "x.md",
    });
    const other = await tenantWithKb(s.t);
    for (const [method, path] of [
      ["GET", `/v1/documents/${up.body.id}`],
      ["GET", `/v1/documents/${up.body.id}/events`],
      ["DELETE", `/v1/documents/${up.body.id}`],
      ["GET", `/v1/knowledge-bases/${kb.kbId}/documents`],
    ] as const) {
      problem((await s.t.call(method, path, { key: other.adminKey })).body, 404, "not_found");
    }
    problem(
      (await upload(s.t, other.ingestKey, kb.kbId, { bytes: new TextEncoder().encode("x"), name: "a.txt" }))
        .body,
      404,
      "not_found",
    );
    const kb2 = await s.t.call("POST", "/v1/knowledge-bases", { key: kb.adminKey, body: { name: "Other" } });
    const restricted = await s.t.newKey(kb.adminKey, ["ingest"], { knowledge_base_ids: [kb2.body.id] });
    problem(
      (await s.t.call("GET", `/v1/documents/${up.body.id}`, { key: restricted.key })).body,
      404,
      "not_found",
    );
    const queryKey = await s.t.newKey(kb.adminKey, ["query"]);
    problem(
      (await s.t.call("DELETE", `/v1/documents/${up.body.id}`, { key: queryKey.key })).body,
      403,
      "forbidden",
    );
    expect((await s.t.call("GET", `/v1/documents/${up.body.id}`, { key: queryKey.key })).status).toBe(200);
    await waitForTerminal(s.t, kb.ingestKey, up.body.id);
  });

  it("deletes a document's points, chunks, file and rows, and audits it", async () => {
    const bytes = await fixture("docx/tika_testWORD_various.docx");
    const up = await upload(s.t, kb.ingestKey, kb.kbId, { bytes, name: "various.docx" });
    const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id);
    expect(doc.status).toBe("ready");
    const del = await s.t.call("DELETE", `/v1/documents/${up.body.id}`, { key: kb.ingestKey });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: up.body.id, deleted: true, points: doc.chunks, bytes: bytes.length });
    expect(await s.vectors.count(kb.tenantId, { docId: up.body.id })).toBe(0);
    expect((await s.t.call("GET", `/v1/documents/${up.body.id}`, { key: kb.ingestKey })).status).toBe(404);
    await expect(s.ingestion.blobs.get(`${kb.tenantId}/${up.body.version_id}`)).rejects.toThrow(/missing/);
    const audit = await s.t.call("GET", "/v1/audit?limit=100", { key: kb.adminKey });
    const actions = (audit.body.data as { resource_id: string; action: string }[])
      .filter((a) => a.resource_id === up.body.id)
      .map((a) => a.action);
    expect(actions).toEqual(["document.delete", "document.create"]);
  });

  it("resumes versions left unfinished by a restart, and deleting the knowledge base removes everything", async () => {
    const own = await tenantWithKb(s.t);
    const up = await upload(s.t, own.ingestKey, own.kbId, {
      bytes: await fixture("pdf/pdfjs_tracemonkey.pdf"),
      name: "t.pdf",
    });
    // Simulate a crash: the queue goes away with the job in flight.
    await s.ingestion.close();
    const mid = (await s.t.call("GET", `/v1/documents/${up.body.id}`, { key: own.ingestKey })).body;
    expect(["queued", "processing"]).toContain(mid.status);
    const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: s.t.deps.config.DATA_DIR });
    s.ingestion = await composeIngestion({
      config,
      logger: createLogger(config),
      database: s.t.deps.database,
      vectors: s.vectors,
      embedder: s.t.deps.embedder!,
      role: "api",
    });
    s.t.deps.ingestQueue = s.ingestion.queue;
    const doc = await waitForTerminal(s.t, own.ingestKey, up.body.id);
    expect(doc.status).toBe("ready");
    expect(await s.vectors.count(own.tenantId, { docVersion: doc.version_id })).toBe(doc.chunks);

    const blobKey = `${own.tenantId}/${doc.version_id}`;
    expect((await s.ingestion.blobs.get(blobKey)).byteLength).toBe(doc.size_bytes);
    const removed = await s.t.call("DELETE", `/v1/knowledge-bases/${own.kbId}`, { key: own.adminKey });
    expect(removed.body).toMatchObject({
      deleted: true,
      points: doc.chunks,
      documents: 1,
      bytes: doc.size_bytes,
    });
    expect(await s.vectors.count(own.tenantId, { kbId: own.kbId })).toBe(0);
    // The deps here carry no deletion hook: the knowledge-base verb itself removes the files.
    await expect(s.ingestion.blobs.get(blobKey)).rejects.toThrow(/missing/);
  });
});
