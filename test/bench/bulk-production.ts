/**
 * Bulk ingestion on the production profile (issue 18), the same scenarios as bench:bulk but as a
 * deployment runs them: API processes and ingestion workers as separate processes (`BENCH_APIS`,
 * `BENCH_WORKERS`, default 2 and 2, as in the compose file) against PostgreSQL, Redis (BullMQ) and
 * the engine standing in for Qdrant, over HTTP:
 *   1. "per-document": one upload per abstract (raw body, `?filename=`), 8 in flight, round robin
 *      over the API processes;
 *   2. "bulk": the same abstracts as one JSONL request.
 * Time runs from the first byte sent to the last version's finished_at; CPU is every process's
 * (from /proc, including all postgres and redis-server processes, which on a shared machine also
 * count other jobs). BENCH_BULK_LIMIT takes the first N abstracts. Writes
 * test/bench/results/bulk-production.{json,md} (or BENCH_BULK_OUT).
 */
import "../../src/node-check.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PLATFORM_KEY } from "../helpers/app.js";
import { type Cluster, startCluster } from "../helpers/cluster.js";
import { TEST_DATABASE_URL } from "../helpers/database.js";
import { cpuPerUnit, cpuSnapshot } from "./proc-cpu.js";
import { CORPUS, documentText, importJsonl, loadCorpus, uploadEach } from "./scifact-corpus.js";

const ROOT = join(import.meta.dirname, "../..");
const APIS = Number(process.env.BENCH_APIS ?? 2);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const IN_FLIGHT = 8;

const corpus = loadCorpus();

async function call(c: Cluster, i: number, method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${c.apiUrls[i % c.apiUrls.length]}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Waits until every version of the knowledge base is terminal (read from PostgreSQL directly). */
async function waitDone(db: pg.Client, schema: string, kbId: string, expected: number) {
  for (;;) {
    const { rows } = await db.query(
      `select count(*) filter (where status in ('ready','failed'))::int as done,
              count(*) filter (where status = 'failed')::int as failed,
              coalesce(sum(chunks_indexed), 0)::int as chunks,
              max(finished_at) as last
         from "${schema}".document_versions where kb_id = $1`,
      [kbId],
    );
    const r = rows[0]!;
    if (r.done >= expected)
      return { finishedAt: new Date(r.last).getTime(), failed: r.failed, chunks: r.chunks };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function pids(c: Cluster) {
  return {
    ...Object.fromEntries(c.apis.map((a, i) => [`api${i}`, a.child.pid])),
    ...Object.fromEntries(c.workers.map((w, i) => [`worker${i}`, w.child.pid])),
    engine: c.engine.child.pid,
  };
}

async function scenario(
  c: Cluster,
  db: pg.Client,
  key: string,
  name: string,
  send: (kbId: string) => Promise<void>,
) {
  const kb = await call(c, 0, "POST", "/v1/knowledge-bases", key, { name });
  const load = loadavg()[0]!;
  const cpuFrom = cpuSnapshot(pids(c), ["postgres", "redis-server"]);
  const started = Date.now();
  await send(kb.id);
  const requestsMs = Date.now() - started;
  const done = await waitDone(db, c.schema, kb.id, corpus.length);
  const cpu = cpuPerUnit(cpuFrom, cpuSnapshot(pids(c), ["postgres", "redis-server"]), corpus.length);
  const ms = done.finishedAt - started;
  return {
    name,
    documents: corpus.length,
    chunks: done.chunks,
    failed: done.failed,
    requestsMs,
    ms,
    docsPerSecond: Math.round((corpus.length / (ms / 1000)) * 10) / 10,
    cpuMsPerDoc: cpu.total,
    cpuPerProcess: cpu.per,
    loadAverageAtStart: load,
  };
}

const loadAtStart = loadavg()[0]!;
const c = await startCluster({
  apis: APIS,
  workers: WORKERS,
  directDatabase: true,
  env: { RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "error" },
});
const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
await db.connect();
try {
  const tenant = await call(c, 0, "POST", "/v1/tenants", PLATFORM_KEY, { name: "BenchBulkProduction" });
  const key = tenant.key.key as string;
  const only = process.env.BENCH_BULK_ONLY;
  const runs = [];
  if (!only || only === "per-document") {
    runs.push(
      await scenario(c, db, key, `per-document uploads (${IN_FLIGHT} in flight)`, (kbId) =>
        uploadEach(corpus, IN_FLIGHT, async (doc, i) => {
          const res = await fetch(
            `${c.apiUrls[i % c.apiUrls.length]}/v1/knowledge-bases/${kbId}/documents?filename=${doc._id}.txt&external_id=${doc._id}`,
            {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" },
              body: documentText(doc),
            },
          );
          if (res.status !== 202) throw new Error(`upload ${doc._id}: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }),
      ),
    );
  }
  if (!only || only === "bulk") {
    runs.push(
      await scenario(c, db, key, "bulk JSONL import (one request)", (kbId) =>
        importJsonl(fetch, `${c.apiUrls[0]}/v1/knowledge-bases/${kbId}/documents/bulk`, key, corpus),
      ),
    );
  }
  const result = {
    date: new Date().toISOString(),
    corpus: CORPUS,
    documents: corpus.length,
    apis: APIS,
    workers: WORKERS,
    loadAverage: { start: loadAtStart, end: loadavg()[0]! },
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    runs,
  };
  const dir = join(ROOT, "test/bench/results");
  mkdirSync(dir, { recursive: true });
  const out = process.env.BENCH_BULK_OUT ?? "bulk-production";
  writeFileSync(join(dir, `${out}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Bulk ingestion benchmark, production profile (${result.date})`,
    "",
    `${corpus.length} SciFact abstracts; ${APIS} API processes and ${WORKERS} workers (BullMQ on Redis), PostgreSQL, the engine over HTTP, offline embedder; ${result.cores} × ${result.cpu}.`,
    `Load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${result.loadAverage.end.toFixed(2)}: timings on a loaded machine are indicative only.`,
    "",
    "| scenario | documents | chunks | failed | requests done (ms) | all ready (ms) | documents/s | CPU ms/document (all processes) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...runs.map(
      (r) =>
        `| ${r.name} | ${r.documents} | ${r.chunks} | ${r.failed} | ${r.requestsMs} | ${r.ms} | ${r.docsPerSecond} | ${r.cpuMsPerDoc} |`,
    ),
    "",
    "CPU ms per document by process:",
    "",
    ...runs.map((r) => `- ${r.name}: ${JSON.stringify(r.cpuPerProcess)}`),
    "",
  ].join("\n");
  writeFileSync(join(dir, `${out}.md`), md);
  console.log(md);
} finally {
  await db.end();
  await c.close();
}
process.exit(0);
