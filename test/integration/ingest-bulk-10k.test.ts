import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BulkImportBody } from "../../src/routes/documents/bulk.js";
import { batchDone, type IngestStack, startIngestStack, tenantWithKb } from "../helpers/ingest.js";

const LINES = 10_000;
const BAD_LINE = 4_321;
const EMPTY_LINE = 7_777;

/** A short abstract per line (one chunk each), distinct text and external_id. */
function line(i: number): string {
  return JSON.stringify({
    external_id: `n-${i}`,
    title: `Note ${i}`,
    text: `Note ${i}: sample ${i % 97} of site S${i % 13} measured ${i % 7} units on day ${i % 31}.`,
  });
}

describe("a 10,000-line JSONL import end to end (PostgreSQL, real engine)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("postgres");
    kb = await tenantWithKb(s.t);
  });
  afterAll(async () => s?.close());

  it("imports every good line to searchable, one point per chunk, and reports the bad ones by line number", async () => {
    const lines = Array.from({ length: LINES }, (_, i) => line(i + 1));
    lines[BAD_LINE - 1] = '{"text": "unterminated';
    // Accepted at import (it has text), fails in ingestion: nothing to index.
    lines[EMPTY_LINE - 1] = JSON.stringify({ external_id: "blank", text: " \n\t " });
    const started = Date.now();
    const res = await s.t.app.request(`/v1/knowledge-bases/${kb.kbId}/documents/bulk`, {
      method: "POST",
      headers: { authorization: `Bearer ${kb.ingestKey}`, "content-type": "application/x-ndjson" },
      body: `${lines.join("\n")}\n`,
    });
    const body = (await res.json()) as BulkImportBody;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ lines: LINES, accepted: LINES - 1, deduplicated: 0, failed: 1 });
    expect(body.errors).toEqual([{ line: BAD_LINE, code: "invalid_json", message: "not a JSON object" }]);

    const status = await batchDone(s, kb.ingestKey, body.status_url, 170_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(`10,000-line import: all terminal after ${seconds.toFixed(1)} s`);
    expect(status.documents).toMatchObject({ ready: LINES - 2, failed: 1, queued: 0, processing: 0 });
    expect(status.errors).toHaveLength(2);
    expect(status.errors[0]).toMatchObject({ line: BAD_LINE, code: "invalid_json", document_id: null });
    expect(status.errors[1]).toMatchObject({ line: EMPTY_LINE, code: "empty" });
    expect(status.errors[1]!.document_id).toMatch(/^doc_/);

    // One point per chunk for the whole import (each short note is one chunk).
    expect(await s.vectors.count(kb.tenantId, { kbId: kb.kbId })).toBe(LINES - 2);
    const hit = await s.t.call("POST", "/v1/search", {
      key: kb.adminKey,
      body: { query: "Note 9876 sample", knowledge_base_ids: [kb.kbId], top_k: 5 },
    });
    expect(hit.status).toBe(200);
    expect(hit.body.data.map((r: { text: string }) => r.text)).toContain(
      "Note 9876: sample 79 of site S9 measured 6 units on day 18.",
    );
  }, 180_000);
});
