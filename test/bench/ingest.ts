/**
 * Ingestion benchmark on the embedded default profile (PGlite + embedded engine + in-process queue +
 * offline embedder), driven through the HTTP API exactly as a user would:
 *   1. raw pdf-parse text extraction of the 352-page book, twice in a fresh child process (the
 *      baseline): cold (the first run, pdf.js not yet compiled by the JIT) and warm (the second);
 *   2. the same book from upload to `ready` as the first document after start (cold), with peak RSS
 *      sampled while it runs;
 *   3. a batch of 100 mixed documents (fixtures, made unique by an appended line) to `ready`;
 *   4. the book again, now that the service has ingested documents (warm).
 * Each book run is compared with the raw run of the same temperature.
 * Writes test/bench/results/ingest.json and test/bench/results/ingest.md. BENCH_SKIP_WORKER=1 skips the
 * Redis + worker-process scenario (for quick repeated runs of the embedded ones).
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";

const ROOT = join(import.meta.dirname, "../..");
const BOOK = join(ROOT, "fixtures/pdf/pdfjs_freeculture.pdf");
const ADMIN = "bench_platform_admin_key_0123456789";

interface RawRun {
  ms: number;
  cpuMs: number;
}

/** Raw pdf-parse extraction of the book in a child process running plain Node (see ingest-raw.ts). */
function rawExtraction(): { pages: number; chars: number; runs: [RawRun, RawRun]; rssMb: number } {
  const r = spawnSync(process.execPath, [join(ROOT, "test/bench/ingest-raw.ts"), BOOK], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`raw extraction failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

const dataDir = mkdtempSync(join(tmpdir(), "aihub-bench-ingest-"));
const config = parseConfig({
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  ADMIN_API_KEY: ADMIN,
  NODE_ENV: "production",
  // 100 uploads in seconds through one key: a benchmark, not a client to throttle.
  RATE_LIMIT_PER_MINUTE: "0",
});
const runtime = await composeRuntime(config, createLogger(config));
await ensurePlatformKey(runtime.deps.database.db, ADMIN);
let app = createApp(runtime.deps);

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

async function uploadFile(key: string, kbId: string, bytes: Uint8Array, name: string): Promise<string> {
  const form = new FormData();
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  const res = await app.request(`/v1/knowledge-bases/${kbId}/documents`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  const body = (await res.json()) as any;
  if (res.status !== 202) throw new Error(`upload of ${name} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function waitAll(key: string, ids: string[]): Promise<any[]> {
  const done = new Map<string, any>();
  while (done.size < ids.length) {
    for (const id of ids) {
      if (done.has(id)) continue;
      const d = await call("GET", `/v1/documents/${id}`, key);
      if (d.status === "ready" || d.status === "failed") done.set(id, d);
    }
    // Times come from finished_at (see msUntilFinished), so polling only has to notice, not to time.
    if (done.size < ids.length) await new Promise((r) => setTimeout(r, 100));
  }
  return ids.map((id) => done.get(id));
}

/**
 * Wall time from `startedAt` (Date.now() before the first upload) to the last document's finished_at,
 * stamped by the pipeline when the version became ready: exact, whatever the polling interval, and
 * polling faster to get it would itself load the process being measured.
 */
function msUntilFinished(startedAt: number, docs: { finished_at: string | null }[]): number {
  return Math.max(...docs.map((d) => Date.parse(d.finished_at ?? "") - startedAt));
}

function sampleRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
  };
}

/** Peak resident set of a process over its lifetime (Linux), in MB. */
function peakRssOf(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The production shape: API enqueues to BullMQ on Redis, a separate `npm run worker` process ingests,
 * both on PostgreSQL (a scratch schema) and this run's engine. Skipped when Redis or Postgres is absent.
 */
async function workerScenario(vectorUrl: string) {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const schema = `bench_${Date.now().toString(36)}`;
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    QDRANT_URL: vectorUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: schema,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    ADMIN_API_KEY: ADMIN,
    RATE_LIMIT_PER_MINUTE: "0",
  };
  const cfg = parseConfig(env);
  let api: Awaited<ReturnType<typeof composeRuntime>>;
  try {
    api = await composeRuntime(cfg, createLogger(cfg));
  } catch (err) {
    return { skipped: `Redis or PostgreSQL unavailable: ${(err as Error).message}` };
  }
  const { spawn } = await import("node:child_process");
  const worker = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/worker.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.stdout!.on("data", (d) => String(d).includes("ingest worker ready") && resolve());
      worker.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });
    await ensurePlatformKey(api.deps.database.db, ADMIN);
    const apiApp = createApp(api.deps);
    const prev = app;
    app = apiApp;
    const tenant = await call("POST", "/v1/tenants", ADMIN, { name: "BenchWorker" });
    const key = tenant.key.key as string;
    const kb = await call("POST", "/v1/knowledge-bases", key, { name: "Book" });
    const workerRssBefore = peakRssOf(worker.pid!);
    const started = Date.now();
    const id = await uploadFile(key, kb.id, new Uint8Array(readFileSync(BOOK)), "free-culture.pdf");
    const [book] = await waitAll(key, [id]);
    const ms = msUntilFinished(started, [book]);
    app = prev;
    return {
      pages: book.pages,
      chunks: book.chunks,
      status: book.status,
      seconds: ms / 1000,
      pages_per_sec: book.pages / (ms / 1000),
      chunks_per_sec: book.chunks / (ms / 1000),
      stage_ms: book.timings,
      worker_rss_before_mb: workerRssBefore,
      worker_peak_rss_mb: peakRssOf(worker.pid!),
    };
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    await api.close();
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    const { Redis } = await import("ioredis");
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${schema}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

/** 100 documents from the good fixtures; text and PDF variants get a unique trailing line so none dedupe. */
function mixedBatch(): { name: string; bytes: Uint8Array }[] {
  const variable = [
    "pdf/pdfjs_tracemonkey.pdf",
    "markdown/mammoth_README.md",
    "markdown/qdrant_README.md",
    "markdown/cmrc2018_README_CN.md",
    "markdown/xquad_README.md",
    "markdown/tika_testMARKDOWN.md",
    "html/tika_tika434.html",
    "html/tika_testHTML.html",
  ];
  const fixed = [
    "docx/tika_testWORD_various.docx",
    "docx/tika_testWORD.docx",
    "docx/tika_testWORD_2006ml.docx",
    "docx/mammoth_tables.docx",
  ];
  const out = fixed.map((f) => ({
    name: f.split("/")[1]!,
    bytes: new Uint8Array(readFileSync(join(ROOT, "fixtures", f))),
  }));
  for (let i = 0; out.length < 100; i++) {
    const f = variable[i % variable.length]!;
    const base = readFileSync(join(ROOT, "fixtures", f));
    // A PDF comment after %%EOF and a plain line for text formats both leave the document valid.
    const tail = f.endsWith(".pdf")
      ? `\n%bench variant ${i}\n`
      : f.endsWith(".html")
        ? `\n<!-- bench variant ${i} -->\n`
        : `\n\nBench variant ${i}.\n`;
    out.push({
      name: `${i}-${f.split("/")[1]}`,
      bytes: new Uint8Array(Buffer.concat([base, Buffer.from(tail)])),
    });
  }
  return out;
}

/** One book upload to `ready` in a new knowledge base; `variant` makes the bytes unique (no dedup). */
async function bookRun(key: string, name: string, variant: number) {
  const kb = await call("POST", "/v1/knowledge-bases", key, { name });
  const bytes = Buffer.concat([readFileSync(BOOK), Buffer.from(`\n%bench book ${variant}\n`)]);
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  const stopRss = sampleRss();
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const id = await uploadFile(key, kb.id, new Uint8Array(bytes), "free-culture.pdf");
  const [book] = await waitAll(key, [id]);
  const ms = msUntilFinished(started, [book]);
  // All threads of this process (pipeline, extraction thread, engine, database) until the poll saw ready.
  const cpu = process.cpuUsage(cpuBefore);
  const peakRss = stopRss();
  if (book.status !== "ready") throw new Error(`book failed: ${JSON.stringify(book.error)}`);
  return {
    pages: book.pages as number,
    chunks: book.chunks as number,
    seconds: ms / 1000,
    pages_per_sec: book.pages / (ms / 1000),
    chunks_per_sec: book.chunks / (ms / 1000),
    /** CPU time of the whole process (all threads). */
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    stage_ms: book.timings as Record<string, number>,
    rss_before_mb: rssBefore,
    peak_rss_mb: peakRss,
  };
}

const loadAtStart = loadavg()[0]!;
try {
  const raw = rawExtraction();
  const tenant = await call("POST", "/v1/tenants", ADMIN, { name: "Bench" });
  const key = tenant.key.key as string;

  const bookCold = await bookRun(key, "Book (cold)", 0);

  const kb2 = await call("POST", "/v1/knowledge-bases", key, { name: "Mixed" });
  const batch = mixedBatch();
  const stopBatchRss = sampleRss();
  const started = Date.now();
  const ids: string[] = [];
  for (const doc of batch) ids.push(await uploadFile(key, kb2.id, doc.bytes, doc.name));
  const results = await waitAll(key, ids);
  const batchMs = msUntilFinished(started, results);
  const batchPeakRss = stopBatchRss();
  const ready = results.filter((d) => d.status === "ready");

  const bookWarm = await bookRun(key, "Book (warm)", 1);
  const processPeakRss = peakRssOf(process.pid);
  const viaWorker = process.env.BENCH_SKIP_WORKER
    ? { skipped: "BENCH_SKIP_WORKER" }
    : await workerScenario(runtime.vectorUrl);

  const [rawCold, rawWarm] = raw.runs;
  const rawRate = (r: RawRun) => raw.pages / (r.ms / 1000);
  const share = {
    cold: bookCold.pages_per_sec / rawRate(rawCold),
    warm: bookWarm.pages_per_sec / rawRate(rawWarm),
  };
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    profile: "embedded (PGlite + embedded engine + in-process queue + offline embedder)",
    /** 1-minute load average at the start and the end: the machine is shared, so read numbers with it. */
    load_average: [loadAtStart, loadavg()[0]!],
    worker_concurrency: config.WORKER_CONCURRENCY,
    raw_extraction: {
      pages: raw.pages,
      rss_mb: raw.rssMb,
      cold: {
        seconds: rawCold.ms / 1000,
        pages_per_sec: rawRate(rawCold),
        cpu_seconds: rawCold.cpuMs / 1000,
      },
      warm: {
        seconds: rawWarm.ms / 1000,
        pages_per_sec: rawRate(rawWarm),
        cpu_seconds: rawWarm.cpuMs / 1000,
      },
    },
    /** The first document after start: pdf.js, chunker, embedder and engine code not yet JIT-compiled. */
    book_cold: { ...bookCold, share_of_raw_throughput: share.cold },
    /** The same book after the mixed batch: the steady state of a running service. */
    book_warm: { ...bookWarm, share_of_raw_throughput: share.warm },
    mixed_batch: {
      documents: batch.length,
      ready: ready.length,
      failed: results
        .filter((d) => d.status === "failed")
        .map((d) => ({ filename: d.filename, error: d.error })),
      pages: ready.reduce((n, d) => n + (d.pages ?? 0), 0),
      chunks: ready.reduce((n, d) => n + (d.chunks ?? 0), 0),
      seconds: batchMs / 1000,
      docs_per_sec: batch.length / (batchMs / 1000),
      chunks_per_sec: ready.reduce((n, d) => n + (d.chunks ?? 0), 0) / (batchMs / 1000),
      peak_rss_mb: batchPeakRss,
    },
    process_peak_rss_mb: processPeakRss,
    redis_worker_book: viaWorker,
    targets: {
      book_cold_at_least_60pct_of_raw_cold: share.cold >= 0.6,
      book_warm_at_least_60pct_of_raw_warm: share.warm >= 0.6,
      /** On the first book: the warm run's process already holds what the batch grew (see the md). */
      peak_rss_under_512mb: bookCold.peak_rss_mb < 512,
    },
  };
  const f = (n: number, d = 1) => n.toFixed(d);
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  const stages = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  const md = `# Ingestion benchmark

${result.date}, Node ${result.node}, ${result.profile}, WORKER_CONCURRENCY=${result.worker_concurrency}, load average ${f(result.load_average[0]!, 2)} -> ${f(result.load_average[1]!, 2)} (2 cores).

| Run | Pages | Chunks | Seconds | Pages/s | Chunks/s | Peak RSS MB |
|---|---:|---:|---:|---:|---:|---:|
| Raw pdf-parse extraction of the book, cold (first run in a fresh plain-Node process) | ${raw.pages} | - | ${f(rawCold.ms / 1000, 2)} | ${f(rawRate(rawCold))} | - | ${f(raw.rssMb, 0)} |
| Raw pdf-parse extraction of the book, warm (second run, same process) | ${raw.pages} | - | ${f(rawWarm.ms / 1000, 2)} | ${f(rawRate(rawWarm))} | - | ${f(raw.rssMb, 0)} |
| Book, upload to ready, first document after start (cold) | ${bookCold.pages} | ${bookCold.chunks} | ${f(bookCold.seconds, 2)} | ${f(bookCold.pages_per_sec)} | ${f(bookCold.chunks_per_sec)} | ${f(bookCold.peak_rss_mb, 0)} |
| 100 mixed documents, upload to all ready | ${result.mixed_batch.pages} | ${result.mixed_batch.chunks} | ${f(batchMs / 1000, 2)} | - | ${f(result.mixed_batch.chunks_per_sec)} | ${f(batchPeakRss, 0)} |
| Book again, after the batch (warm) | ${bookWarm.pages} | ${bookWarm.chunks} | ${f(bookWarm.seconds, 2)} | ${f(bookWarm.pages_per_sec)} | ${f(bookWarm.chunks_per_sec)} | ${f(bookWarm.peak_rss_mb, 0)} |

- Book throughput against raw extraction of the same temperature (target >= 60%): cold ${f(100 * share.cold, 0)}% (${met(result.targets.book_cold_at_least_60pct_of_raw_cold)}), warm ${f(100 * share.warm, 0)}% (${met(result.targets.book_warm_at_least_60pct_of_raw_warm)}).
- CPU time (all threads): raw extraction ${f(rawCold.cpuMs / 1000, 2)} s cold, ${f(rawWarm.cpuMs / 1000, 2)} s warm; book to ready ${f(bookCold.cpu_seconds, 2)} s cold, ${f(bookWarm.cpu_seconds, 2)} s warm. Extraction runs on its own thread; chunking, embedding and indexing run on the pipeline thread meanwhile.
- Peak RSS while ingesting the book as the first document: ${f(bookCold.peak_rss_mb, 0)} MB (target < 512 MB: ${met(result.targets.peak_rss_under_512mb)}); RSS before that upload ${f(bookCold.rss_before_mb, 0)} MB. The warm run peaked at ${f(bookWarm.peak_rss_mb, 0)} MB, from ${f(bookWarm.rss_before_mb, 0)} MB after the 100-document batch: memory PGlite's WebAssembly heap and V8 grew for the batch is not returned to the system.
- Book stages (ms; for a PDF they overlap: parse_ms is extraction on its thread while the pipeline thread chunks, embeds and indexes): cold ${stages(bookCold.stage_ms)}; warm ${stages(bookWarm.stage_ms)}.
- Mixed batch: ${ready.length}/${batch.length} ready, ${f(result.mixed_batch.docs_per_sec, 2)} documents/s.
${
  "skipped" in viaWorker
    ? `- Redis + worker: skipped (${viaWorker.skipped}).`
    : `- Redis + worker process (PostgreSQL, engine over HTTP), the book as the worker's first document: ${viaWorker.status} in ${f(viaWorker.seconds, 2)} s = ${f(viaWorker.pages_per_sec)} pages/s, ${f(viaWorker.chunks_per_sec)} chunks/s (${f((100 * viaWorker.pages_per_sec) / rawRate(rawCold), 0)}% of raw cold); worker peak RSS ${f(viaWorker.worker_peak_rss_mb ?? Number.NaN, 0)} MB (${f(viaWorker.worker_rss_before_mb ?? Number.NaN, 0)} MB at idle).`
}
`;
  mkdirSync(join(ROOT, "test/bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "test/bench/results/ingest.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(ROOT, "test/bench/results/ingest.md"), md);
  process.stdout.write(md);
} finally {
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
