/**
 * Vector layer benchmark: the adapter talking over HTTP to the embedded engine running as its own
 * process (as `npm run engine` does). BENCH_POINTS (default 100000), BENCH_DIM (384), BENCH_TENANTS (20).
 * Writes test/bench/results/vector.json and test/bench/results/vector.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { QdrantIndex } from "../../src/vector/qdrant-index.js";
import type { ChunkPoint, SparseVector, VectorQuery } from "../../src/vector/types.js";
import { rssMb } from "./proc-rss.js";
import { mulberry32, pct } from "./stats.js";

const POINTS = Number(process.env.BENCH_POINTS ?? 100_000);
const DIM = Number(process.env.BENCH_DIM ?? 384);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
const KBS_PER_TENANT = 3;
const VOCAB = 30_000;
const SPARSE_NNZ = 60;
const ROOT = join(import.meta.dirname, "../..");

// Deterministic so runs are comparable.
const rand = mulberry32(42);
function gauss(): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}
function denseVec(): number[] {
  const v = Array.from({ length: DIM }, gauss);
  const n = Math.hypot(...v);
  // Five decimals keep request JSON close to what embedding APIs return.
  return v.map((x) => Math.round((x / n) * 1e5) / 1e5);
}
/** ~60 distinct terms drawn from a Zipf(1) vocabulary, with small tf-like weights. */
function sparseVec(): SparseVector {
  const terms = new Map<number, number>();
  while (terms.size < SPARSE_NNZ) {
    const t = Math.floor(Math.exp(rand() * Math.log(VOCAB))) - 1;
    terms.set(t, (terms.get(t) ?? 0) + 1);
  }
  const indices = [...terms.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((i) => 1 + Math.log(terms.get(i)!)) };
}
const WORDS =
  "the vector engine stores chunks of documents for retrieval augmented answers in every tenant".split(" ");
function text(): string {
  return Array.from({ length: 130 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
}

function spawnEngine(dataDir: string): Promise<{ child: ChildProcess; url: string; startedMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/vector/engine/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ENGINE_DATA_DIR: dataDir, ENGINE_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, startedMs: performance.now() - t0 });
    });
    child.once("exit", (code) => reject(new Error(`engine exited with ${code}`)));
  });
}
function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((r) => {
    child.once("exit", () => r());
    child.kill(signal);
  });
}
async function latencies(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await fn(i);
        times.push(performance.now() - s);
      }
    }),
  );
  const wall = performance.now() - t0;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50_ms: r(pct(times, 50)), p99_ms: r(pct(times, 99)), qps: Math.round((n / wall) * 1000) };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "vector-bench-"));
  const collection = `bench_${DIM}`;
  let engine = await spawnEngine(dataDir);
  const idleRss = rssMb(engine.child.pid!);
  const clientFor = (url: string) => new QdrantClient({ url, checkCompatibility: false });
  let index = new QdrantIndex({ client: clientFor(engine.url), collection, dimension: DIM });
  await index.ensureReady();

  // Data, kept for the exact brute-force recall check.
  const tenantOf = (i: number) => `tenant-${i % TENANTS}`;
  const denseAll: number[][] = [];
  console.log(`generating ${POINTS} points (dim ${DIM}, ${TENANTS} tenants)...`);
  const perTenant = new Map<string, ChunkPoint[]>();
  for (let i = 0; i < POINTS; i++) {
    const dense = denseVec();
    denseAll.push(dense);
    const tenant = tenantOf(i);
    const kb = `kb_${i % KBS_PER_TENANT}`;
    const doc = `doc_${Math.floor(i / 40)}`;
    const point: ChunkPoint = {
      dense,
      sparse: sparseVec(),
      payload: {
        kb_id: kb,
        doc_id: doc,
        doc_version: `${doc}@v1`,
        chunk: i,
        page_start: 1,
        page_end: 1,
        heading_path: ["Section", "Subsection"],
        text: text(),
        char_start: 0,
        char_end: 800,
        title: `Document ${doc}`,
        meta: { year: 2000 + (i % 25), lang: i % 3 ? "en" : "de" },
      },
    };
    (perTenant.get(tenant) ?? perTenant.set(tenant, []).get(tenant)!).push(point);
  }

  console.log("upserting...");
  const tUp = performance.now();
  const jobs = [...perTenant].flatMap(([tenant, pts]) => {
    const out: [string, ChunkPoint[]][] = [];
    for (let i = 0; i < pts.length; i += 1024) out.push([tenant, pts.slice(i, i + 1024)]);
    return out;
  });
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (cursor < jobs.length) {
        const [tenant, pts] = jobs[cursor++]!;
        await index.upsert(tenant, pts);
      }
    }),
  );
  const upsertSec = (performance.now() - tUp) / 1000;
  const loadedRss = rssMb(engine.child.pid!);
  console.log(`upserted in ${upsertSec.toFixed(1)} s`);

  const queries: { tenant: string; q: VectorQuery; tenantIdx: number }[] = Array.from(
    { length: 400 },
    (_, i) => {
      const tenantIdx = i % TENANTS;
      return {
        tenant: `tenant-${tenantIdx}`,
        tenantIdx,
        q: {
          scope: { kbIds: ["kb_0", "kb_1", "kb_2"] },
          mode: "hybrid",
          dense: denseVec(),
          sparse: sparseVec(),
          limit: 10,
        },
      };
    },
  );
  const run = (i: number) => index.query(queries[i % queries.length]!.tenant, queries[i % queries.length]!.q);
  await latencies(50, 1, run); // warm-up
  const hybridC1 = await latencies(300, 1, run);
  const hybridC16 = await latencies(400, 16, run);
  const denseC1 = await latencies(200, 1, (i) =>
    index.query(queries[i]!.tenant, { ...queries[i]!.q, mode: "dense" }),
  );
  console.log("hybrid c1", hybridC1, "c16", hybridC16);

  // recall@10 of dense search vs exact brute force over the tenant's points.
  let recallSum = 0;
  const RECALL_QUERIES = 50;
  for (let i = 0; i < RECALL_QUERIES; i++) {
    const { tenant, tenantIdx, q } = queries[i]!;
    const hits = await index.query(tenant, { ...q, mode: "dense" });
    const exact: [number, number][] = [];
    for (let p = tenantIdx; p < POINTS; p += TENANTS) {
      const v = denseAll[p]!;
      let s = 0;
      for (let d = 0; d < DIM; d++) s += v[d]! * q.dense![d]!;
      exact.push([p, s / Math.hypot(...v)]);
    }
    exact.sort((a, b) => b[1] - a[1]);
    const truth = new Set(exact.slice(0, 10).map(([p]) => p));
    recallSum += hits.filter((h) => truth.has(h.payload.chunk)).length / 10;
  }

  // Restart after a clean stop (snapshot load) and after SIGKILL (snapshot + log replay).
  const firstQuery = async (url: string) => {
    index = new QdrantIndex({ client: clientFor(url), collection, dimension: DIM });
    await index.query(queries[0]!.tenant, queries[0]!.q);
  };
  await stop(engine.child, "SIGTERM");
  let t = performance.now();
  engine = await spawnEngine(dataDir);
  await firstQuery(engine.url);
  const restartCleanMs = performance.now() - t;
  const count = await index.count("tenant-0", {});
  // A fresh batch so the kill leaves log records to replay.
  await index.upsert("tenant-0", perTenant.get("tenant-0")!.slice(0, 2048));
  await stop(engine.child, "SIGKILL");
  t = performance.now();
  engine = await spawnEngine(dataDir);
  await firstQuery(engine.url);
  const restartKillMs = performance.now() - t;
  await stop(engine.child, "SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });

  const results = {
    points: POINTS,
    dim: DIM,
    tenants: TENANTS,
    sparse_nnz: SPARSE_NNZ,
    upsert_points_per_sec: Math.round(POINTS / upsertSec),
    hybrid_tenant_filtered: { concurrency_1: hybridC1, concurrency_16: hybridC16 },
    dense_tenant_filtered_concurrency_1: denseC1,
    recall_at_10_dense: recallSum / RECALL_QUERIES,
    memory_bytes_per_point: Math.round(((loadedRss - idleRss) * 1024 * 1024) / POINTS),
    engine_rss_mb: { idle: Math.round(idleRss), loaded: Math.round(loadedRss) },
    restart_ms: { after_clean_stop: Math.round(restartCleanMs), after_sigkill: Math.round(restartKillMs) },
    tenant_0_points_after_restart: count,
    node: process.version,
  };
  mkdirSync(join(ROOT, "test/bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "test/bench/results/vector.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    `# Vector benchmark (${POINTS} points, dim ${DIM}, ${TENANTS} tenants, ~${SPARSE_NNZ} sparse terms/point)`,
    "",
    "Adapter -> HTTP -> embedded engine (separate process). Exact search, so dense recall is 1.0 by construction.",
    "",
    "| metric | value |",
    "| --- | --- |",
    `| upsert throughput | ${results.upsert_points_per_sec} points/s |`,
    `| hybrid query, concurrency 1 | p50 ${hybridC1.p50_ms} ms, p99 ${hybridC1.p99_ms} ms (${hybridC1.qps} q/s) |`,
    `| hybrid query, concurrency 16 | p50 ${hybridC16.p50_ms} ms, p99 ${hybridC16.p99_ms} ms (${hybridC16.qps} q/s) |`,
    `| dense query, concurrency 1 | p50 ${denseC1.p50_ms} ms, p99 ${denseC1.p99_ms} ms |`,
    `| recall@10 (dense vs brute force) | ${results.recall_at_10_dense} |`,
    `| memory per point (RSS delta) | ${results.memory_bytes_per_point} bytes |`,
    `| restart to first answer, after clean stop | ${results.restart_ms.after_clean_stop} ms |`,
    `| restart to first answer, after SIGKILL | ${results.restart_ms.after_sigkill} ms |`,
    "",
  ].join("\n");
  writeFileSync(join(ROOT, "test/bench/results/vector.md"), md);
  console.log(md);
}

await main();
