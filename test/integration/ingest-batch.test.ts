import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentVersions } from "../../src/db/schema.js";
import type { BulkImportBody } from "../../src/routes/documents/bulk.js";
import { batchDone, type IngestStack, startIngestStack, tenantWithKb } from "../helpers/ingest.js";

/**
 * Batch ingestion keeps the single path's guarantees: a shared step that fails sends the batch's
 * documents to their retries, which run alone (the single path) and end with one point per chunk.
 */
describe("batch ingestion when a shared step fails (PGlite, real engine)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    kb = await tenantWithKb(s.t);
  });
  afterAll(async () => s?.close());

  it("retries every document of a failed batch alone, each ready with exactly its points", async () => {
    const upsert = s.vectors.upsert.bind(s.vectors);
    const calls: number[] = [];
    let failed = false;
    // The first upsert spanning several versions (the batch's) fails as a flaky vector store would.
    s.vectors.upsert = async (tenantId, points) => {
      const versions = new Set(points.map((p) => p.payload.doc_version)).size;
      calls.push(versions);
      if (!failed && versions > 1) {
        failed = true;
        throw new Error("vector store hiccup");
      }
      return upsert(tenantId, points);
    };
    try {
      const lines = Array.from({ length: 12 }, (_, i) =>
        JSON.stringify({
          external_id: `r-${i}`,
          text: `Record ${i} describes lighthouse ${i} on cape ${i % 4}.`,
        }),
      );
      const res = await s.t.app.request(`/v1/knowledge-bases/${kb.kbId}/documents/bulk`, {
        method: "POST",
        headers: { authorization: `Bearer ${kb.ingestKey}`, "content-type": "application/x-ndjson" },
        body: lines.join("\n"),
      });
      const body = (await res.json()) as BulkImportBody;
      expect(body.accepted).toBe(12);
      const status = await batchDone(s, kb.ingestKey, body.status_url, 60_000);
      expect(status.documents).toMatchObject({ ready: 12, failed: 0 });
      expect(failed).toBe(true);
      // The batch's one upsert held all 12; after it failed each document was upserted on its own.
      expect(calls[0]).toBe(12);
      expect(calls.slice(1)).toEqual(Array(12).fill(1));
      const ids = body.documents.map((d) => d.version_id);
      for (const id of ids) expect(await s.vectors.count(kb.tenantId, { docVersion: id })).toBe(1);
      const rows = await s.t.deps.database.db
        .select({ attempts: documentVersions.attempts, chunks: documentVersions.chunksIndexed })
        .from(documentVersions)
        .where(inArray(documentVersions.id, ids));
      // One batch attempt, one attempt alone.
      expect(rows.map((r) => [r.attempts, r.chunks])).toEqual(Array(12).fill([2, 1]));
    } finally {
      s.vectors.upsert = upsert;
    }
  }, 90_000);
});
