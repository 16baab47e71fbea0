import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BulkImportBody } from "../../src/routes/documents/bulk.js";
import { billingEnv } from "../helpers/billing.js";
import type { DbKind } from "../helpers/database.js";
import { part, zip } from "../helpers/hostile-inputs.js";
import { batchDone, type IngestStack, startIngestStack, tenantWithKb } from "../helpers/ingest.js";

const DOCS = 300;

/** Short, distinct abstracts: each becomes one chunk. */
function line(i: number): Record<string, unknown> {
  return {
    external_id: `abs-${i}`,
    title: `Abstract ${i}`,
    text: `Study ${i} reports that protein P${i} binds receptor R${i % 17} in cell line C${i % 5}. The effect size was ${i % 9} units.`,
    metadata: { batch: i % 3 },
  };
}

async function bulk(s: IngestStack, key: string, kbId: string, body: string) {
  const res = await s.t.app.request(`/v1/knowledge-bases/${kbId}/documents/bulk`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    body,
  });
  return { status: res.status, body: (await res.json()) as BulkImportBody & Record<string, unknown> };
}

async function waitAllReady(
  s: IngestStack,
  key: string,
  kbId: string,
  expected: number,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ready = 0;
    let cursor: string | null = null;
    do {
      const q = `status=ready&limit=200${cursor ? `&cursor=${cursor}` : ""}`;
      const r = await s.t.call("GET", `/v1/knowledge-bases/${kbId}/documents?${q}`, { key });
      ready += r.body.data.length;
      cursor = r.body.next_cursor;
    } while (cursor);
    if (ready >= expected) return ready;
    if (Date.now() > deadline) throw new Error(`${ready}/${expected} ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.each<DbKind>(["pglite", "postgres"])("bulk JSONL import on %s", (kind) => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack(kind);
    kb = await tenantWithKb(s.t);
  });
  afterAll(async () => s?.close());

  it("imports a few hundred lines to ready, one point per chunk, and reports bad lines by number", async () => {
    const lines = Array.from({ length: DOCS }, (_, i) => JSON.stringify(line(i)));
    // Bad lines among good ones: broken JSON, no text, a bad metadata name, a repeated external_id.
    lines.splice(10, 0, "{not json");
    lines.splice(20, 0, JSON.stringify({ title: "no text" }));
    lines.splice(30, 0, JSON.stringify({ text: "x", metadata: { "bad name": 1 } }));
    lines.splice(40, 0, JSON.stringify({ ...line(5), text: "again" }));
    lines.splice(45, 0, JSON.stringify({ text: "x", title: "bad\u0000title" }));
    lines.splice(50, 0, ""); // blank lines are skipped, but still counted for numbering
    const r = await bulk(s, kb.ingestKey, kb.kbId, `${lines.join("\n")}\n`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ lines: DOCS + 5, accepted: DOCS, deduplicated: 0, failed: 5 });
    expect(r.body.errors.map((e) => [e.line, e.code])).toEqual([
      [11, "invalid_json"],
      [21, "validation_failed"],
      [31, "validation_failed"],
      [41, "validation_failed"],
      [46, "validation_failed"],
    ]);
    expect(r.body.errors[1]!.message).toContain("text");
    expect(r.body.errors[3]!.message).toContain("line 6");

    await waitAllReady(s, kb.ingestKey, kb.kbId, DOCS);
    // The import's one status resource: counts by status, the refused lines, done.
    expect(r.body.status_url).toBe(`/v1/knowledge-bases/${kb.kbId}/batches/${r.body.batch_id}`);
    const status = await batchDone(s, kb.ingestKey, r.body.status_url);
    expect(status).toMatchObject({
      source: "jsonl",
      state: "read",
      items: DOCS + 5,
      accepted: DOCS,
      rejected: 5,
      done: true,
      documents: { queued: 0, processing: 0, ready: DOCS, failed: 0 },
    });
    expect(status.errors.map((e) => [e.line, e.code])).toEqual(r.body.errors.map((e) => [e.line, e.code]));
    const doc = await s.t.call("GET", `/v1/documents/${r.body.documents[7]!.id}`, { key: kb.ingestKey });
    expect(doc.body).toMatchObject({ status: "ready", chunks: 1, metadata: { batch: 7 % 3 } });
    let points = 0;
    for (const d of r.body.documents)
      points += await s.vectors.count(kb.tenantId, { docVersion: d.version_id });
    expect(points).toBe(DOCS);

    // Re-sending the file is a no-op: every line is deduplicated by its external_id.
    const again = await bulk(s, kb.ingestKey, kb.kbId, lines.join("\n"));
    expect(again.body).toMatchObject({ accepted: 0, deduplicated: DOCS, failed: 5 });
    expect(again.body.documents[0]!.id).toBe(r.body.documents[0]!.id);

    // New text under a known external_id is a new version of that document, as with single uploads;
    // the same text twice without an external_id is one document.
    const changed = [
      JSON.stringify({ ...line(0), text: "Study 0 was retracted." }),
      JSON.stringify({ text: "A note without an id." }),
      JSON.stringify({ text: "A note without an id." }),
    ].join("\n");
    const update = await bulk(s, kb.ingestKey, kb.kbId, changed);
    expect(update.body).toMatchObject({ accepted: 2, deduplicated: 1, failed: 0 });
    expect(update.body.documents[0]!.id).toBe(r.body.documents[0]!.id);
    expect(update.body.documents[0]!.version_id).not.toBe(r.body.documents[0]!.version_id);
    expect(update.body.documents[2]!.id).toBe(update.body.documents[1]!.id);
  });

  it("refuses an unknown knowledge base once, and a key without the ingest scope", async () => {
    const missing = await bulk(s, kb.ingestKey, "kb_missing", JSON.stringify(line(1)));
    expect(missing.status).toBe(404);
    const query = await s.t.newKey(kb.adminKey, ["query"]);
    const denied = await bulk(s, query.key, kb.kbId, JSON.stringify(line(1)));
    expect(denied.status).toBe(403);
  });
});

describe("bulk import of a zip of files (MAX_UPLOAD_MB=1)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("pglite", { env: { MAX_UPLOAD_MB: "1" } });
    kb = await tenantWithKb(s.t);
  });
  afterAll(async () => s?.close());

  const send = async (bytes: Uint8Array, kbId = kb.kbId) => {
    const res = await s.t.app.request(`/v1/knowledge-bases/${kbId}/documents/bulk`, {
      method: "POST",
      headers: { authorization: `Bearer ${kb.ingestKey}`, "content-type": "application/zip" },
      body: bytes as unknown as BodyInit,
    });
    return { status: res.status, body: (await res.json()) as BulkImportBody & Record<string, unknown> };
  };

  it("imports each file as a document, typed by content, and refuses unsafe or inflating entries by name", async () => {
    const archive = zip([
      part("notes/a.txt", "Plain notes about the harbour ferry timetable."),
      part("dir/", ""),
      part("notes/b.md", "# Kitchen\n\nThe cabin has a fully stocked kitchen."),
      part("__MACOSX/notes/._a.txt", "resource fork"),
      part("../escape.txt", "outside"),
      part("/etc/passwd", "root"),
      { ...part("link", "/etc/shadow"), unixMode: 0o120777 },
      part("bomb.txt", "a".repeat(3 * 1024 * 1024)),
      part(
        "page.html",
        "<html><head><title>Tide table</title></head><body><p>High tide at noon.</p></body></html>",
      ),
    ]);
    const r = await send(archive);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ lines: 7, accepted: 3, failed: 4 });
    expect(r.body.errors.map((e) => [e.line, e.entry, e.code])).toEqual([
      [3, "../escape.txt", "unsafe_path"],
      [4, "/etc/passwd", "unsafe_path"],
      [5, "link", "unsafe_path"],
      [6, "bomb.txt", "payload_too_large"],
    ]);
    expect(r.body.documents.map((d) => [d.line, d.entry, d.external_id])).toEqual([
      [1, "notes/a.txt", "notes/a.txt"],
      [2, "notes/b.md", "notes/b.md"],
      [7, "page.html", "page.html"],
    ]);
    const status = await batchDone(s, kb.ingestKey, r.body.status_url);
    expect(status).toMatchObject({ source: "zip", documents: { ready: 3, failed: 0 }, rejected: 4 });
    expect(status.errors.map((e) => e.entry)).toEqual(["../escape.txt", "/etc/passwd", "link", "bomb.txt"]);
    const md = await s.t.call("GET", `/v1/documents/${r.body.documents[1]!.id}`, { key: kb.ingestKey });
    expect(md.body).toMatchObject({ format: "markdown", filename: "b.md", status: "ready" });
    // Re-sending the archive is a no-op: each entry's path is its external_id.
    const again = await send(archive);
    expect(again.body).toMatchObject({ accepted: 0, deduplicated: 3 });
  });

  it("refuses an archive that inflates past 8 × MAX_UPLOAD_MB in total, and bytes that are not a zip", async () => {
    // Ten entries under the 1 MB entry limit (so no ratio check applies) that inflate to 9.5 MB.
    const parts = Array.from({ length: 10 }, (_, i) => part(`f${i}.txt`, "z".repeat(950 * 1024)));
    const bomb = await send(zip(parts));
    expect(bomb.status).toBe(413);
    expect(bomb.body).toMatchObject({ code: "payload_too_large" });
    expect(String(bomb.body.detail)).toContain("8 MB");
    const junk = await send(new TextEncoder().encode("PK not really a zip"));
    expect(junk.status).toBe(400);
    expect(junk.body).toMatchObject({ code: "validation_failed" });
  });
});

describe("bulk JSONL import within the plan's quotas (BILLING=on)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("pglite", { env: billingEnv({ documents: 5 }) });
    kb = await tenantWithKb(s.t);
  });
  afterAll(async () => s?.close());

  it("imports up to the documents quota, then refuses the batch that would pass it with 402", async () => {
    const first = await bulk(
      s,
      kb.ingestKey,
      kb.kbId,
      [1, 2, 3].map((i) => JSON.stringify(line(i))).join("\n"),
    );
    expect(first.status).toBe(200);
    expect(first.body.accepted).toBe(3);
    const over = await bulk(
      s,
      kb.ingestKey,
      kb.kbId,
      [4, 5, 6].map((i) => JSON.stringify(line(i))).join("\n"),
    );
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({ code: "quota_exceeded", quota: "documents", use: 3, limit: 5 });
    // Nothing of the refused batch was stored; re-sending the first batch is still a no-op.
    const again = await bulk(
      s,
      kb.ingestKey,
      kb.kbId,
      [1, 2, 3].map((i) => JSON.stringify(line(i))).join("\n"),
    );
    expect(again.body.deduplicated).toBe(3);
    const listed = await s.t.call("GET", `/v1/knowledge-bases/${kb.kbId}/documents?limit=50`, {
      key: kb.ingestKey,
    });
    expect(listed.body.data).toHaveLength(3);
  });
});
