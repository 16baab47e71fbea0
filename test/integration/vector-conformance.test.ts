/**
 * One suite for the vector layer: the adapter driving the embedded engine through @qdrant/js-client-rest,
 * or (with QDRANT_URL set) the very same tests against a real Qdrant. A recording proxy between client
 * and server checks every request and response against Qdrant's official OpenAPI document.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EngineHandle, startEngine } from "../../src/vector/engine/index.js";
import { VectorStoreUnavailableError } from "../../src/vector/errors.js";
import { QdrantIndex } from "../../src/vector/qdrant-index.js";
import {
  DIM,
  dense,
  docPoints,
  type Exchange,
  SPEC_PATH,
  SpecValidator,
  startProxy,
} from "../helpers/qdrant-conformance.js";

const EXTERNAL = process.env.QDRANT_URL;

// ---- Suite ---------------------------------------------------------------------------------------

describe("vector layer conformance", () => {
  const log: Exchange[] = [];
  const validator = new SpecValidator(JSON.parse(readFileSync(SPEC_PATH, "utf8")));
  let dataDir = "";
  let engine: EngineHandle | null = null;
  let targetUrl = "";
  let proxy: { url: string; server: Server };
  let client: QdrantClient;
  let index: QdrantIndex;
  const collection = `conformance_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    if (EXTERNAL) targetUrl = EXTERNAL;
    else {
      dataDir = mkdtempSync(join(tmpdir(), "vector-conf-"));
      engine = await startEngine({ dataDir, port: 0 });
      targetUrl = engine.url;
    }
    proxy = await startProxy(() => targetUrl, log);
    client = new QdrantClient({ url: proxy.url, checkCompatibility: false });
    index = new QdrantIndex({ client, collection, dimension: DIM, retry: { attempts: 3, baseMs: 20 } });
  });

  afterEach(() => {
    const problems = log.flatMap((ex) => validator.check(ex));
    log.length = 0;
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await client?.deleteCollection(collection).catch(() => {});
    await new Promise((r) => proxy?.server.close(r));
    await engine?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers GET / with a version the client accepts", async () => {
    const info = await client.versionInfo();
    expect(info.title).toMatch(/qdrant/);
    expect(info.version).toMatch(/^1\.\d+/);
    expect(await index.ping()).toBe(true);
  });

  it("creates, inspects and deletes a collection", async () => {
    const name = `${collection}_tmp`;
    expect((await client.collectionExists(name)).exists).toBe(false);
    await client.createCollection(name, { vectors: { size: 4, distance: "Dot" } });
    expect((await client.collectionExists(name)).exists).toBe(true);
    const info = await client.getCollection(name);
    expect(info.config.params.vectors).toMatchObject({ size: 4, distance: "Dot" });
    expect((await client.getCollections()).collections.map((c) => c.name)).toContain(name);
    expect(await client.deleteCollection(name)).toBe(true);
    expect((await client.collectionExists(name)).exists).toBe(false);
  });

  it("ensureReady creates the layout and payload indexes, idempotently", async () => {
    await index.ensureReady();
    await index.ensureReady();
    const info = await client.getCollection(collection);
    expect(info.config.params.vectors).toMatchObject({ dense: { size: DIM, distance: "Cosine" } });
    expect(info.config.params.sparse_vectors).toMatchObject({ sparse: { modifier: "idf" } });
    expect(info.payload_schema.tenant_id).toMatchObject({
      data_type: "keyword",
      params: { is_tenant: true },
    });
    for (const f of ["kb_id", "doc_id", "doc_version"])
      expect(info.payload_schema[f]?.data_type).toBe("keyword");
  });

  it("upserts deterministically: repeating an upsert does not duplicate", async () => {
    await index.upsert("tenant-a", [
      ...docPoints("kb1", "doc1", "doc1@v1", 0, { year: 2020, lang: "en" }),
      ...docPoints("kb1", "doc2", "doc2@v1", 2, { year: 2023, lang: "de" }),
      ...docPoints("kb2", "doc3", "doc3@v1", 4, { year: 2021, lang: "en" }),
    ]);
    await index.upsert("tenant-a", docPoints("kb1", "doc1", "doc1@v1", 0, { year: 2020, lang: "en" }));
    await index.upsert("tenant-b", docPoints("kb1", "docB", "docB@v1", 0, { year: 2020, lang: "en" }));
    expect(await index.count("tenant-a", {})).toBe(9);
    expect(await index.count("tenant-a", { kbId: "kb1" })).toBe(6);
    expect(await index.count("tenant-b", {})).toBe(3);
  });

  it("answers dense, sparse and hybrid queries inside the scope", async () => {
    const scope = { kbIds: ["kb1"] };
    const denseHits = await index.query("tenant-a", { scope, mode: "dense", dense: dense(0), limit: 3 });
    expect(denseHits.map((h) => h.payload.doc_id)).toEqual(["doc1", "doc1", "doc1"]);
    expect(denseHits[0]!.payload.chunk).toBe(0);
    expect(denseHits[0]!.score).toBeCloseTo(1, 5);
    expect(denseHits[0]!.payload).not.toHaveProperty("tenant_id");

    const sparseHits = await index.query("tenant-a", {
      scope,
      mode: "sparse",
      sparse: { indices: [21], values: [1] },
      limit: 5,
    });
    expect(sparseHits.map((h) => [h.payload.doc_id, h.payload.chunk])).toEqual([["doc2", 1]]);

    const hybrid = await index.query("tenant-a", {
      scope,
      mode: "hybrid",
      dense: dense(2),
      sparse: { indices: [20], values: [1] },
      limit: 4,
    });
    expect(hybrid[0]!.payload).toMatchObject({ doc_id: "doc2", chunk: 0 });
    expect(hybrid.every((h) => h.payload.kb_id === "kb1")).toBe(true);
    expect(hybrid.length).toBe(4);
    // Scores are fused RRF scores, best first.
    expect([...hybrid].sort((a, b) => b.score - a.score)).toEqual(hybrid);
  });

  it("filters on metadata (match, any, range, must_not), docs and versions", async () => {
    const q = (meta: object, extra: object = {}) =>
      index.query("tenant-a", {
        scope: { kbIds: ["kb1", "kb2"], meta, ...extra },
        mode: "dense",
        dense: dense(0),
        limit: 20,
      });
    const docs = async (meta: object, extra?: object) =>
      [...new Set((await q(meta, extra)).map((h) => h.payload.doc_id))].sort();
    expect(await docs({ must: [{ key: "lang", match: { value: "en" } }] })).toEqual(["doc1", "doc3"]);
    expect(await docs({ must: [{ key: "year", match: { any: [2021, 2023] } }] })).toEqual(["doc2", "doc3"]);
    expect(await docs({ must: [{ key: "year", range: { gte: 2021, lt: 2023 } }] })).toEqual(["doc3"]);
    expect(await docs({ must_not: [{ key: "lang", match: { value: "en" } }] })).toEqual(["doc2"]);
    expect(await docs({ must: [{ key: "lang", match: { except: ["de"] } }] })).toEqual(["doc1", "doc3"]);
    expect(
      await docs({
        should: [
          { key: "year", range: { lt: 2021 } },
          { key: "lang", match: { value: "de" } },
        ],
      }),
    ).toEqual(["doc1", "doc2"]);
    expect(await docs({}, { docIds: ["doc3"] })).toEqual(["doc3"]);
    expect(await docs({}, { docVersions: ["doc2@v1"] })).toEqual(["doc2"]);
    expect(await docs({}, { docVersions: ["doc2@v2"] })).toEqual([]);
  });

  it("pages with offset and drops results under the score threshold", async () => {
    const base = { scope: { kbIds: ["kb1"] }, mode: "dense" as const, dense: dense(0), limit: 2 };
    const first = await index.query("tenant-a", base);
    const second = await index.query("tenant-a", { ...base, offset: 2 });
    expect(second.map((h) => h.id)).not.toContain(first[0]!.id);
    const strict = await index.query("tenant-a", { ...base, limit: 10, scoreThreshold: 0.99 });
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every((h) => h.score >= 0.99)).toBe(true);
  });

  it("isolates tenants: B never sees A's points, even in the same kb", async () => {
    for (const mode of ["dense", "sparse", "hybrid"] as const) {
      const hits = await index.query("tenant-b", {
        scope: { kbIds: ["kb1", "kb2"] },
        mode,
        dense: dense(2),
        sparse: { indices: [20, 21, 999], values: [1, 1, 1] },
        limit: 50,
      });
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h) => h.payload.doc_id === "docB")).toBe(true);
    }
    expect(await index.delete("tenant-b", { docId: "doc1" })).toBe(0);
    expect(await index.count("tenant-a", { docId: "doc1" })).toBe(3);
  });

  it("deletes by filter and reports how many points went", async () => {
    expect(await index.delete("tenant-a", { docVersion: "doc3@v1" })).toBe(3);
    expect(await index.count("tenant-a", { docId: "doc3" })).toBe(0);
    expect(await index.count("tenant-a", {})).toBe(6);
    expect(await index.delete("tenant-b", {})).toBe(3);
    expect(await index.count("tenant-b", {})).toBe(0);
  });

  it("answers malformed requests with Qdrant's error shape and keeps serving", async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${proxy.url}${path}`, {
        method,
        headers: { "content-type": "application/json", "x-malformed-on-purpose": "1" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { status: { error: string } } };
    };
    const wrongSize = await call("PUT", `/collections/${collection}/points?wait=true`, {
      points: [{ id: 1, vector: { dense: [1, 2, 3] } }],
    });
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.body.status.error).toMatch(/dimension/i);

    const unknown = await call("POST", `/collections/${collection}_missing/points/query`, {
      query: dense(0),
      using: "dense",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.status.error).toMatch(/doesn't exist|not found/i);

    const badFilter = await call("POST", `/collections/${collection}/points/count`, {
      filter: { must: [{ key: "kb_id", match: { value: { nested: true } } }] },
    });
    expect(badFilter.status).toBe(400);
    expect(typeof badFilter.body.status.error).toBe("string");

    expect(await index.count("tenant-a", {})).toBe(6);
  });

  it.skipIf(EXTERNAL)("keeps every point across a restart on the same data dir", async () => {
    const before = await index.query("tenant-a", {
      scope: { kbIds: ["kb1"] },
      mode: "dense",
      dense: dense(2),
      limit: 3,
    });
    await engine!.close();
    engine = await startEngine({ dataDir, port: 0 });
    targetUrl = engine.url;
    expect(await index.count("tenant-a", {})).toBe(6);
    const after = await index.query("tenant-a", {
      scope: { kbIds: ["kb1"] },
      mode: "dense",
      dense: dense(2),
      limit: 3,
    });
    expect(after).toEqual(before);
  });

  it("fails with VectorStoreUnavailableError when the store is down", async () => {
    const dead = new QdrantClient({ url: "http://127.0.0.1:1", checkCompatibility: false });
    const down = new QdrantIndex({
      client: dead,
      collection,
      dimension: DIM,
      retry: { attempts: 2, baseMs: 5 },
      url: "http://127.0.0.1:1",
    });
    expect(await down.ping()).toBe(false);
    const err = await down.count("tenant-a", {}).catch((e) => e);
    expect(err).toBeInstanceOf(VectorStoreUnavailableError);
    expect(err.message).toContain("http://127.0.0.1:1");
  });
});
