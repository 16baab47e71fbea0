import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documents, documentVersions, usageLedger } from "../../src/db/schema.js";
import { createOpenAIEmbedder } from "../../src/models/embedders/openai/index.js";
import { type AskTestApp, seedGeography, startAskTestApp } from "../helpers/ask-app.js";
import { countWords } from "../helpers/openai-stub.js";
import { indexDocument } from "../helpers/search-index.js";

describe("POST /v1/search", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  let other: Awaited<ReturnType<typeof seedGeography>>;

  beforeAll(async () => {
    a = await startAskTestApp("pglite");
    geo = await seedGeography(a, "Geo");
    other = await seedGeography(a, "Other");
  });
  afterAll(async () => a?.close());

  it("returns the best chunks with document, pages, headings and offsets", async () => {
    const { key } = await a.t.newKey(geo.adminKey, ["query"]);
    const r = await a.t.call("POST", "/v1/search", {
      key,
      body: { query: "What is the capital of Poland?", knowledge_base_ids: [geo.kbId], top_k: 2 },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(2);
    const top = r.body.data[0];
    expect(top).toMatchObject({
      document_id: geo.poland.documentId,
      document_version_id: geo.poland.versionId,
      knowledge_base_id: geo.kbId,
      title: "Poland guide",
      page_start: 7,
      page_end: 7,
      char_start: 0,
      metadata: { region: "east" },
    });
    expect(top.text).toContain("Warsaw");
    expect(top.char_end).toBe(top.text.length);
    expect(r.body.data[0].score).toBeGreaterThanOrEqual(r.body.data[1].score);
  });

  it("with_text false returns the same ranking as references, without chunk text", async () => {
    const body = { query: "capital city", knowledge_base_ids: [geo.kbId], top_k: 3 };
    const full = await a.t.call("POST", "/v1/search", { key: geo.adminKey, body });
    const refs = await a.t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: { ...body, with_text: false },
    });
    expect(refs.status).toBe(200);
    expect(refs.body.data.length).toBeGreaterThan(1);
    expect(refs.body.data.map((c: any) => [c.id, c.score])).toEqual(
      full.body.data.map((c: any) => [c.id, c.score]),
    );
    for (const [i, c] of refs.body.data.entries()) {
      expect(c).not.toHaveProperty("text");
      const { text, ...rest } = full.body.data[i];
      expect(text.length).toBeGreaterThan(0);
      expect(c).toEqual(rest);
    }
  });

  it("supports dense and sparse modes and metadata filters", async () => {
    for (const mode of ["dense", "sparse"]) {
      const r = await a.t.call("POST", "/v1/search", {
        key: geo.adminKey,
        body: { query: "Eiffel Tower", knowledge_base_ids: [geo.kbId], mode, top_k: 1 },
      });
      expect(r.status).toBe(200);
      expect(r.body.data[0]).toMatchObject({ document_id: geo.france.documentId, heading_path: ["France"] });
    }
    const filtered = await a.t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: {
        query: "capital",
        knowledge_base_ids: [geo.kbId],
        filter: { must: [{ key: "region", match: { value: "east" } }] },
      },
    });
    expect(filtered.body.data.length).toBeGreaterThan(0);
    expect(new Set(filtered.body.data.map((c: any) => c.document_id))).toEqual(
      new Set([geo.poland.documentId]),
    );
  });

  it("never returns another tenant's chunks: their knowledge base id is a 404", async () => {
    const r = await a.t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: { query: "capital of France", knowledge_base_ids: [geo.kbId, other.kbId] },
    });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe("not_found");
    expect(r.body.detail).toContain(other.kbId);
    const own = await a.t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: { query: "capital of France", knowledge_base_ids: [geo.kbId], top_k: 100 },
    });
    const otherDocs = [other.france.documentId, other.poland.documentId];
    expect(own.body.data.length).toBe(3);
    for (const c of own.body.data) expect(otherDocs).not.toContain(c.document_id);
  });

  it("404s a knowledge base outside a restricted key's list, and needs the query scope", async () => {
    const kb2 = await a.t.call("POST", "/v1/knowledge-bases", {
      key: geo.adminKey,
      body: { name: "Second" },
    });
    const restricted = await a.t.newKey(geo.adminKey, ["query"], { knowledge_base_ids: [kb2.body.id] });
    const r = await a.t.call("POST", "/v1/search", {
      key: restricted.key,
      body: { query: "Paris", knowledge_base_ids: [geo.kbId] },
    });
    expect(r.status).toBe(404);
    const ingest = await a.t.newKey(geo.adminKey, ["ingest"]);
    const forbidden = await a.t.call("POST", "/v1/search", {
      key: ingest.key,
      body: { query: "Paris", knowledge_base_ids: [geo.kbId] },
    });
    expect(forbidden.status).toBe(403);
  });

  it("hides document versions that are not ready (still indexing, failed or replaced)", async () => {
    const hidden = await seedGeography(a, "Hidden");
    // A second knowledge base of the same organization whose France guide is ready.
    const kb2 = await a.t.call("POST", "/v1/knowledge-bases", {
      key: hidden.adminKey,
      body: { name: "Capitals 2", language: "en" },
    });
    const other = {
      kbId: kb2.body.id as string,
      france: await indexDocument(a.t.deps.database, a.fx, {
        tenantId: hidden.tenantId,
        kbId: kb2.body.id,
        title: "France guide",
        chunks: [{ text: "Paris is the capital of France. The Eiffel Tower stands in Paris.", pageStart: 1 }],
      }),
    };
    // A re-upload of the France guide that is still indexing: its points exist but must stay invisible.
    const { db } = a.t.deps.database;
    await db
      .update(documents)
      .set({ activeVersionId: null })
      .where(eq(documents.id, hidden.france.documentId));
    await db
      .update(documentVersions)
      .set({ status: "processing" })
      .where(eq(documentVersions.id, hidden.france.versionId));
    const r = await a.t.call("POST", "/v1/search", {
      key: hidden.adminKey,
      body: { query: "Eiffel Tower Paris France", knowledge_base_ids: [hidden.kbId], top_k: 100 },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.map((c: any) => c.document_id)).toEqual([hidden.poland.documentId]);
    // Over two knowledge bases, each one's hidden versions are its own (read with the knowledge bases).
    const both = await a.t.call("POST", "/v1/search", {
      key: hidden.adminKey,
      body: { query: "Eiffel Tower Paris France", knowledge_base_ids: [hidden.kbId, other.kbId], top_k: 100 },
    });
    expect(both.status).toBe(200);
    const docs = new Set(both.body.data.map((c: any) => c.document_id));
    expect(docs.has(hidden.france.documentId)).toBe(false);
    expect(docs.has(other.france.documentId)).toBe(true);
  });

  it("names the failing field on invalid input", async () => {
    const r = await a.t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: { query: "Paris", knowledge_base_ids: [geo.kbId], top_k: 101 },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: any) => e.field)).toEqual(["top_k"]);
  });

  it("writes no ledger row for the offline embedder, which costs nothing", async () => {
    const r = await a.t.call("GET", "/v1/usage?group_by=model", { key: geo.adminKey });
    expect(r.status).toBe(200);
    expect(r.body.totals.requests).toBe(0);
  });
});

describe("POST /v1/search with a billed embedder", () => {
  let a: AskTestApp;
  afterAll(async () => a?.close());

  it("writes the query's embedding tokens and exact cost to the ledger", async () => {
    a = await startAskTestApp("pglite", {
      embedder: (stub) =>
        createOpenAIEmbedder({
          baseURL: stub.baseURL,
          apiKey: "sk-test",
          model: "text-embedding-3-small",
          dimension: 8,
          price: {
            inputMicrosPerMillion: 3_000_000,
            outputMicrosPerMillion: 0,
            cachedInputMicrosPerMillion: 3_000_000,
          },
          sparseEncoder: () => ({ indices: [], values: [] }),
        }),
    });
    const geo = await seedGeography(a, "Billed");
    const query = "Which city is the capital of Poland?";
    const r = await a.t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: { query, knowledge_base_ids: [geo.kbId] },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThan(0);
    const rows = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.tenantId, geo.tenantId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "embedding",
      embeddingTokens: countWords(query),
      costMicros: countWords(query) * 3,
      kbIds: [geo.kbId],
      status: "ok",
    });
    const usage = await a.t.call("GET", "/v1/usage?group_by=model", { key: geo.adminKey });
    expect(usage.body.totals).toMatchObject({
      embedding_tokens: countWords(query),
      cost_micros: countWords(query) * 3,
    });
  });
});
