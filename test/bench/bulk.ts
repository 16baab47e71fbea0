/**
 * Bulk ingestion benchmark on the embedded default profile (PGlite + embedded engine + in-process
 * queue + offline embedder), on the SciFact abstracts from /work/shared/data (or BENCH_BULK_CORPUS):
 *   1. "per-document": one multipart upload per abstract, 8 in flight (what `npm run eval` does);
 *   2. "bulk": the same abstracts as one JSONL request to POST /v1/knowledge-bases/{id}/documents/bulk;
 *   3. the reference: MiniSearch indexing the same texts in memory, in the same run.
 * Each scenario gets its own knowledge base; time runs from the first byte sent to the last version's
 * finished_at. BENCH_BULK_LIMIT (default: all) takes the first N abstracts, for short runs on a busy
 * machine. INGEST_BATCH_SIZE (default 256; 1 = no batching) sets how many queued small documents a
 * worker ingests together. Writes test/bench/results/bulk.json and bulk.md (or BENCH_BULK_OUT.json
 * and .md) with the load average at start and end.
 *
 * Requests go over real HTTP on loopback (the app served by @hono/node-server, as `npm start` serves
 * it), so an upload pays for the socket, the HTTP parser and the multipart body as a user's does. The
 * client is a process of its own (bulk-client.ts), as a user's uploader is; its CPU is reported
 * beside the server's. BENCH_BULK_TRANSPORT=inprocess sends
 * them through app.request instead (no sockets), for comparison. After each scenario one search for
 * a document's own title must find that document: ready means searchable.
 */
import "../../src/node-check.js";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { and, eq, inArray, max, sql } from "drizzle-orm";
import MiniSearch from "minisearch";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { documentVersions } from "../../src/db/schema.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";
import { serveOverHttp } from "../helpers/serve.js";
import { CORPUS, importJsonl, loadCorpus, uploadAbstract, uploadEach } from "./scifact-corpus.js";

const ROOT = join(import.meta.dirname, "../..");
const ADMIN = "bench_platform_admin_key_0123456789";

const corpus = loadCorpus();

const dataDir = mkdtempSync(join(tmpdir(), "aihub-bench-bulk-"));
const config = parseConfig({
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  ADMIN_API_KEY: ADMIN,
  NODE_ENV: "production",
  RATE_LIMIT_PER_MINUTE: "0",
  ...(process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
  // INGEST_BATCH_SIZE=1 runs the single path only (the pipeline before batching), for comparison.
  ...(process.env.INGEST_BATCH_SIZE ? { INGEST_BATCH_SIZE: process.env.INGEST_BATCH_SIZE } : {}),
  // READ_CACHE_SECONDS=0 reads every upload's key from the database, for comparison.
  ...(process.env.READ_CACHE_SECONDS ? { READ_CACHE_SECONDS: process.env.READ_CACHE_SECONDS } : {}),
});
const runtime = await composeRuntime(config, createLogger(config));
await ensurePlatformKey(runtime.deps.database.db, ADMIN);
const app = createApp(runtime.deps);
const { db } = runtime.deps.database;
const transport = process.env.BENCH_BULK_TRANSPORT === "inprocess" ? "inprocess" : "http";
const server = transport === "http" ? await serveOverHttp(app) : undefined;
/** One request, over loopback HTTP or straight into the app, as BENCH_BULK_TRANSPORT says. */
const send = (path: string, init: RequestInit): Promise<Response> =>
  server ? fetch(`${server.baseURL}${path}`, init) : Promise.resolve(app.request(path, init));

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await send(path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

/** Waits until every version of the knowledge base is terminal; returns the last finished_at and counts. */
async function waitDone(kbId: string, expected: number) {
  for (;;) {
    const [row] = await db
      .select({
        done: sql<number>`count(*) filter (where ${documentVersions.status} in ('ready', 'failed'))`,
        failed: sql<number>`count(*) filter (where ${documentVersions.status} = 'failed')`,
        chunks: sql<number>`coalesce(sum(${documentVersions.chunksIndexed}), 0)`,
      })
      .from(documentVersions)
      .where(eq(documentVersions.kbId, kbId));
    if (Number(row!.done) >= expected) {
      const [last] = await db
        .select({ at: max(documentVersions.finishedAt) })
        .from(documentVersions)
        .where(and(eq(documentVersions.kbId, kbId), inArray(documentVersions.status, ["ready", "failed"])));
      return { finishedAt: last!.at!.getTime(), failed: Number(row!.failed), chunks: Number(row!.chunks) };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Sends the corpus as `scenario` says. Over HTTP the client is its own process (bulk-client.ts);
 * in process it is this one, calling app.request. Returns when every request has been answered.
 */
async function sendCorpus(scenario: "per-document" | "bulk", key: string, kbId: string) {
  if (server) {
    const out = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "bulk-client.ts"), scenario, kbId],
      { env: { ...process.env, BULK_BASE_URL: server.baseURL, BULK_KEY: key }, maxBuffer: 1 << 20 },
    );
    return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as { cpuMs: number };
  }
  if (scenario === "bulk") {
    await importJsonl(send, `/v1/knowledge-bases/${kbId}/documents/bulk`, key, corpus);
  } else {
    await uploadEach(corpus, 8, (doc) =>
      uploadAbstract(send, `/v1/knowledge-bases/${kbId}/documents`, key, doc),
    );
  }
  return { cpuMs: null };
}

async function scenario(name: string, kind: "per-document" | "bulk", key: string) {
  const kb = await call("POST", "/v1/knowledge-bases", key, { name: kind });
  const started = Date.now();
  const cpu = process.cpuUsage();
  const client = await sendCorpus(kind, key, kb.id);
  const uploadedMs = Date.now() - started;
  const done = await waitDone(kb.id, corpus.length);
  const result = summary(name, started, uploadedMs, done, cpu, client.cpuMs);
  await assertSearchable(key, kb.id);
  return result;
}

/** The last abstract, searched by its title, must come back among the hits (checked after the clock stops). */
async function assertSearchable(key: string, kbId: string) {
  const last = corpus[corpus.length - 1]!;
  const found = await call("POST", "/v1/search", key, {
    query: last.title,
    knowledge_base_ids: [kbId],
    top_k: 10,
  });
  const opening = last.text.slice(0, 60);
  const hit = (found.data ?? []).some((h: { text?: string }) => h.text?.includes(opening));
  if (!hit)
    throw new Error(
      `not searchable: "${last.title}" did not find abstract ${last._id}: ${JSON.stringify(found).slice(0, 300)}`,
    );
}

/**
 * CPU time of the whole process (all threads) per document: unlike wall time it barely moves when
 * other work shares the machine, so it is the figure to compare across runs on a busy host.
 */
function summary(
  name: string,
  started: number,
  uploadedMs: number,
  done: Awaited<ReturnType<typeof waitDone>>,
  cpuFrom: NodeJS.CpuUsage,
  clientCpuMs: number | null,
) {
  const ms = done.finishedAt - started;
  const cpu = process.cpuUsage(cpuFrom);
  return {
    name,
    documents: corpus.length,
    chunks: done.chunks,
    failed: done.failed,
    uploadMs: uploadedMs,
    ms,
    docsPerSecond: Math.round((corpus.length / (ms / 1000)) * 10) / 10,
    cpuMsPerDoc: Math.round(((cpu.user + cpu.system) / 1000 / corpus.length) * 100) / 100,
    clientCpuMsPerDoc: clientCpuMs === null ? null : Math.round((clientCpuMs / corpus.length) * 100) / 100,
  };
}

function minisearch() {
  const started = performance.now();
  const index = new MiniSearch({ fields: ["title", "text"], idField: "_id" });
  index.addAll(corpus);
  const ms = performance.now() - started;
  return {
    name: "MiniSearch addAll (in memory, reference)",
    documents: corpus.length,
    ms: Math.round(ms),
    cpuMsPerDoc: Math.round((ms / corpus.length) * 100) / 100,
    docsPerSecond: Math.round(corpus.length / (ms / 1000)),
  };
}

const loadAtStart = loadavg()[0]!;
try {
  const tenant = await call("POST", "/v1/tenants", ADMIN, { name: "BenchBulk" });
  const key = tenant.key.key as string;
  const only = process.env.BENCH_BULK_ONLY;
  const runs = [];
  if (!only || only === "per-document")
    runs.push(await scenario("per-document uploads (8 in flight)", "per-document", key));
  if (!only || only === "bulk") runs.push(await scenario("bulk JSONL import (one request)", "bulk", key));
  runs.push(minisearch());
  const result = {
    date: new Date().toISOString(),
    corpus: CORPUS,
    documents: corpus.length,
    workerConcurrency: config.WORKER_CONCURRENCY,
    ingestBatchSize: config.INGEST_BATCH_SIZE,
    transport,
    loadAverage: { start: loadAtStart, end: loadavg()[0]! },
    cores: (await import("node:os")).cpus().length,
    runs,
  };
  const dir = join(ROOT, "test/bench/results");
  mkdirSync(dir, { recursive: true });
  const out = process.env.BENCH_BULK_OUT ?? "bulk";
  writeFileSync(join(dir, `${out}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Bulk ingestion benchmark (${result.date})`,
    "",
    `${corpus.length} SciFact abstracts, embedded profile (PGlite, embedded engine, in-process queue, offline embedder), requests ${transport === "http" ? "over loopback HTTP from a client process" : "in process (app.request, no sockets)"}, WORKER_CONCURRENCY=${result.workerConcurrency}, INGEST_BATCH_SIZE=${result.ingestBatchSize}, ${result.cores} cores.`,
    `Load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${result.loadAverage.end.toFixed(2)}: timings on a loaded machine are indicative only.`,
    "",
    "| scenario | documents | chunks | request(s) done (ms) | all ready (ms) | documents/s | CPU ms/document (server) | client CPU ms/document |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...runs.map(
      (r: any) =>
        `| ${r.name} | ${r.documents} | ${r.chunks ?? "-"} | ${r.uploadMs ?? "-"} | ${r.ms} | ${r.docsPerSecond} | ${r.cpuMsPerDoc} | ${r.clientCpuMsPerDoc ?? "-"} |`,
    ),
    "",
  ].join("\n");
  writeFileSync(join(dir, `${out}.md`), md);
  console.log(md);
} finally {
  await server?.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
