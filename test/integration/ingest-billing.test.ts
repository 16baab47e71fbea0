import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunks, usageLedger } from "../../src/db/schema.js";
import { chunkIndexText } from "../../src/models/embedders/offline/index.js";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";
import { countWords, type OpenAIStub, startOpenAIStub } from "../helpers/openai-stub.js";

describe("ingestion with an OpenAI-compatible embedder (local stub)", () => {
  let stub: OpenAIStub;
  let s: IngestStack;

  beforeAll(async () => {
    // Two 429s first: the embedder waits them out instead of failing the document.
    stub = await startOpenAIStub({ embed429Count: 2, retryAfterMs: 10 });
    s = await startIngestStack("pglite", {
      env: {
        EMBEDDINGS_BASE_URL: `${stub.baseURL}`,
        EMBEDDINGS_MODEL: "text-embedding-3-small",
        EMBEDDINGS_API_KEY: "test",
        EMBEDDING_DIMENSION: "64",
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await stub?.close();
  });

  it("charges the uploading key for embedding tokens, once per chunk", async () => {
    const kb = await tenantWithKb(s.t);
    const keys = await s.t.call("GET", "/v1/keys?limit=50", { key: kb.adminKey });
    const ingestKeyId = keys.body.data.find((k: any) => k.scopes?.includes("ingest"))?.id;
    const up = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("markdown/xquad_README.md"),
      name: "x.md",
    });
    const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id);
    expect(doc.status).toBe("ready");
    expect(await s.vectors.count(kb.tenantId, { docVersion: doc.version_id })).toBe(doc.chunks);

    const rows = await s.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.tenantId, kb.tenantId));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows)
      expect(r).toMatchObject({ kind: "embedding", keyId: ingestKeyId, status: "ok", kbIds: [kb.kbId] });
    // The stub bills words; each chunk's indexed text (title + chunk) was embedded exactly once.
    const chunkRows = await s.t.deps.database.db
      .select()
      .from(chunks)
      .where(eq(chunks.versionId, doc.version_id));
    const expected = chunkRows.reduce((n, c) => n + countWords(chunkIndexText(doc.title, c.text)), 0);
    expect(rows.reduce((n, r) => n + r.embeddingTokens, 0)).toBe(expected);
    expect(rows.every((r) => Number.isSafeInteger(r.costMicros) && r.costMicros >= 0)).toBe(true);
  });
});
