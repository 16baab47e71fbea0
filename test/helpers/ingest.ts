import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import type { ImportBatchBody } from "../../src/routes/documents/batch.js";
import { createConfiguredEmbedder } from "../../src/runtime/embedder.js";
import { composeIngestion, type Ingestion } from "../../src/runtime/ingestion.js";
import { qdrantCollections } from "../../src/vector/collections.js";
import { type EngineHandle, startEngine } from "../../src/vector/engine/index.js";
import { collectionNameFor, QdrantIndex } from "../../src/vector/qdrant-index.js";
import { createTestApp, type TestApp } from "./app.js";
import { type DbKind, openTestDatabase, TEST_DATABASE_URL } from "./database.js";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;

export interface IngestStack {
  t: TestApp;
  vectors: QdrantIndex;
  ingestion: Ingestion;
  engine: EngineHandle;
  /** Environment a separate worker process needs to join this stack (BullMQ stacks only). */
  workerEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real ingestion stack for a test: a database (PGlite or a fresh PostgreSQL schema), the embedded
 * vector engine on a free port, the offline embedder and the queue `composeIngestion` picks from the
 * environment. With `bullmq: true` the API only enqueues (workers run as separate processes).
 */
export async function startIngestStack(
  kind: DbKind,
  opts: { bullmq?: boolean; env?: Record<string, string> } = {},
): Promise<IngestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), "aihub-ingest-"));
  const database = await openTestDatabase(kind);
  const engine = await startEngine({ dataDir: join(dataDir, "vectors"), port: 0 });
  const schema = database.schema;
  // Ingestion tests upload many documents through one key; rate limits have their own tests.
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    WORKER_CONCURRENCY: "2",
    RATE_LIMIT_PER_MINUTE: "0",
    ...opts.env,
  };
  if (opts.bullmq) {
    Object.assign(env, {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `t${randomBytes(5).toString("hex")}`,
      QDRANT_URL: engine.url,
      DATABASE_URL: TEST_DATABASE_URL,
      ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    });
  }
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
  const logger = createLogger(config);
  const embedder = createConfiguredEmbedder(config);
  const client = new QdrantClient({ url: engine.url, checkCompatibility: false });
  const vectors = new QdrantIndex({
    client,
    collection: collectionNameFor(embedder.id),
    dimension: embedder.dimension,
  });
  await vectors.ensureReady();
  const vectorCollections = qdrantCollections({ client });
  const ingestion = await composeIngestion({
    config,
    logger,
    database,
    vectors,
    vectorCollections,
    embedder,
    role: "api",
  });
  const t = await createTestApp(
    database,
    {
      vectors,
      vectorCollections,
      embedder,
      blobs: ingestion.blobs,
      ingestQueue: ingestion.queue,
    },
    env,
  );
  return {
    t,
    vectors,
    ingestion,
    engine,
    workerEnv: { ...env, NODE_ENV: "test", LOG_LEVEL: "warn" },
    async close() {
      await ingestion.close();
      if (opts.bullmq) await obliterate(env.QUEUE_PREFIX!);
      await engine.close();
      await database.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes every Redis key of a test's queue prefix. */
export async function obliterate(prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export async function fixture(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(FIXTURES, path)));
}

/** Uploads bytes as multipart field `file`. */
export async function upload(
  t: TestApp,
  key: string,
  kbId: string,
  file: { bytes: Uint8Array; name: string; type?: string },
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.set(
    "file",
    new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, {
      type: file.type ?? "application/octet-stream",
    }),
  );
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await t.app.request(`/v1/knowledge-bases/${kbId}/documents`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls the status endpoint until the document is ready or failed (or the deadline passes). */
export async function waitForTerminal(t: TestApp, key: string, docId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.call("GET", `/v1/documents/${docId}`, { key });
    if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
    if (r.body.status === "ready" || r.body.status === "failed") return r.body;
    if (Date.now() > deadline)
      throw new Error(`document ${docId} still ${r.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A tenant with a knowledge base and an ingest key. */
export async function tenantWithKb(t: TestApp, kbBody: Record<string, unknown> = {}) {
  const { tenantId, adminKey } = await t.newTenant();
  const kb = await t.call("POST", "/v1/knowledge-bases", {
    key: adminKey,
    body: { name: "Docs", ...kbBody },
  });
  if (kb.status !== 201) throw new Error(`kb create failed: ${JSON.stringify(kb.body)}`);
  const ingest = await t.newKey(adminKey, ["ingest"]);
  return { tenantId, adminKey, kbId: kb.body.id as string, ingestKey: ingest.key };
}

/** Polls an import's status resource until it says done. */
export async function batchDone(s: IngestStack, key: string, url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await s.t.call("GET", url, { key });
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    const body = r.body as ImportBatchBody;
    if (body.done) return body;
    if (Date.now() > deadline)
      throw new Error(`import not done after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
