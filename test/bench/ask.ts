/**
 * bench:ask — what search and ask cost on top of the provider, and how many answer streams one API
 * process holds. Four processes on loopback: the provider stub (ask-stub.ts), the vector engine, the API
 * (ask-server.ts: PGlite, offline embedder, BENCH_CHUNKS synthetic chunks) and this client.
 *   1. Added latency: sequential asks against a stub with a fixed TTFT; added = (stub received − client
 *      sent) + (client got first delta − stub sent first token), i.e. everything but the provider.
 *   2. Concurrent streams: BENCH_STREAMS asks held open on a stub that drips slowly; errors counted, RSS
 *      of the API process read from /proc; then every client hangs up and each call must still reach
 *      the ledger (status aborted).
 * Env: BENCH_CHUNKS (100000), BENCH_TENANTS (20), BENCH_TTFT_MS (50), BENCH_LATENCY_N (300),
 * BENCH_STREAMS (10000), BENCH_RAMP (200 opening at once), BENCH_HOLD_DELTA_MS (15000). Writes test/bench/results/ask.json and ask.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { createOfflineEmbedder } from "../../src/models/embedders/offline/index.js";
import { collectionNameFor, QdrantIndex } from "../../src/vector/qdrant-index.js";
import { type OpenStream, openStream, timedAsk } from "./ask-client.js";
import { type BenchTenant, embedTexts, indexTenant, syntheticTexts } from "./ask-seed.js";
import { rssMb } from "./proc-rss.js";
import { pct } from "./stats.js";

const ROOT = join(import.meta.dirname, "../..");
const TTFT_MS = Number(process.env.BENCH_TTFT_MS ?? 50);
const LATENCY_N = Number(process.env.BENCH_LATENCY_N ?? 300);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const RAMP = Number(process.env.BENCH_RAMP ?? 200);
/** Held streams get a delta this often: alive, but cheap enough that 10k of them stay quiet. */
const HOLD_DELTA_MS = Number(process.env.BENCH_HOLD_DELTA_MS ?? 15_000);
const PHASE_DEADLINE_MS = 300_000;
const MEMORY_EVERY = Number(process.env.BENCH_MEMORY_EVERY ?? 1000);
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
/** The API's offline embedder dimension (EMBEDDING_DIMENSION default): the collection is named after it. */
const DIMENSION = 384;

function start(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const r2 = (x: number) => Math.round(x * 100) / 100;
const pctMs = (values: number[], p: number) => r2(pct(values, p));
/** Indexes BENCH_CHUNKS points: the two bench tenants' own plus TENANTS - 2 others sharing the collection. */
async function seed(engineUrl: string, ...benchTenants: BenchTenant[]) {
  const started = performance.now();
  const embedder = createOfflineEmbedder({ dimension: DIMENSION });
  const vectors = new QdrantIndex({
    client: new QdrantClient({ url: engineUrl, checkCompatibility: false }),
    collection: collectionNameFor(embedder.id),
    dimension: DIMENSION,
  });
  const perTenant = Math.floor(CHUNKS / TENANTS);
  const texts = syntheticTexts(perTenant);
  const embedded = await embedTexts(embedder, texts);
  const tenants = [
    ...benchTenants.map((t) => ({ ...t })),
    ...Array.from({ length: TENANTS - benchTenants.length }, (_, i) => ({
      tenantId: `ten_other_${i}`,
      kbId: `kb_other_${i}`,
      docs: [],
    })),
  ];
  for (const t of tenants) await indexTenant(vectors, t, texts, embedded);
  return { chunks: perTenant * tenants.length, seed_ms: Math.round(performance.now() - started) };
}

const question = (i: number) => ({ question: `How do I reset the router model ${i % 500}?`, max_tokens: 64 });

async function measureLatency(url: string, key: string, kbId: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const added: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  const clientTtft: number[] = [];
  for (let i = -20; i < LATENCY_N; i++) {
    const t = await timedAsk(agent, url, key, {
      ...question(i),
      knowledge_base_ids: [kbId],
      models: ["bench-ttft"],
    });
    if (t.status !== 200 || t.firstDeltaAt === null)
      throw new Error(`latency ask failed: status ${t.status}`);
    const m = /@recv=([\d.]+),send=([\d.]+)/.exec(t.firstDeltaText ?? "");
    if (!m) throw new Error(`unexpected first delta ${t.firstDeltaText}`);
    if (i < 0) continue; // warm-up
    const pre = Number(m[1]) - t.sentAt;
    const post = t.firstDeltaAt - Number(m[2]);
    before.push(pre);
    after.push(post);
    added.push(pre + post);
    clientTtft.push(t.firstDeltaAt - t.sentAt);
  }
  agent.destroy();
  const summary = (xs: number[]) => ({ p50_ms: pctMs(xs, 50), p99_ms: pctMs(xs, 99) });
  return {
    asks: LATENCY_N,
    stub_ttft_ms: TTFT_MS,
    added_before_first_token: summary(added),
    before_provider_request: summary(before),
    provider_token_to_client: summary(after),
    client_time_to_first_token: summary(clientTtft),
  };
}

async function holdStreams(url: string, key: string, kbId: string, serverPid: number) {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const streams: OpenStream[] = [];
  const errors = new Map<string, number>();
  let opened = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(serverPid));
  }, 250);
  const t0 = performance.now();
  // The API's own view of its memory every MEMORY_EVERY streams: what each open stream costs.
  const memory: { open: number; rss_mb: number; heap_used_mb: number; external_mb: number }[] = [];
  const sampleMemory = async (open: number) => {
    const m = (await (await fetch(`${url}/__bench/memory`)).json()) as NodeJS.MemoryUsage;
    const mb = (b: number) => Math.round(b / 2 ** 20);
    memory.push({ open, rss_mb: mb(m.rss), heap_used_mb: mb(m.heapUsed), external_mb: mb(m.external) });
  };
  await sampleMemory(0);
  let next = 0;
  await Promise.all(
    Array.from({ length: RAMP }, async () => {
      while (next < STREAMS && performance.now() - t0 < PHASE_DEADLINE_MS) {
        const s = openStream(agent, url, key, {
          ...question(next++),
          knowledge_base_ids: [kbId],
          models: ["bench-hold"],
        });
        streams.push(s);
        try {
          await s.opened;
          if (++opened % MEMORY_EVERY === 0) await sampleMemory(opened);
        } catch (e) {
          const msg = String((e as Error).message).slice(0, 120);
          errors.set(msg, (errors.get(msg) ?? 0) + 1);
        }
      }
    }),
  );
  const rampMs = performance.now() - t0;
  const rssAllOpen = rssMb(serverPid);
  if (opened % MEMORY_EVERY !== 0) await sampleMemory(opened);
  if (process.env.BENCH_HEAP_SNAPSHOT) {
    const snap = (await (await fetch(`${url}/__bench/heap-snapshot`)).json()) as { path: string };
    console.log(`heap snapshot with ${opened} streams open: ${snap.path}`);
  }
  const fdsAllOpen = fds(serverPid);
  await new Promise((r) => setTimeout(r, 5000)); // every stream must stay open while held
  const droppedWhileHeld =
    streams.filter((s) => s.ended()).length - [...errors.values()].reduce((a, b) => a + b, 0);
  const rssHeld = rssMb(serverPid);
  clearInterval(sampler);
  const hungUpAt = performance.now();
  for (const s of streams) s.close();
  agent.destroy();
  return {
    requested: STREAMS,
    opened,
    errors: Object.fromEntries(errors),
    error_count: [...errors.values()].reduce((a, b) => a + b, 0),
    dropped_while_held: droppedWhileHeld,
    ramp_s: r2(rampMs / 1000),
    server_rss_mb_all_open: Math.round(rssAllOpen),
    server_rss_mb_after_5s_hold: Math.round(rssHeld),
    server_rss_mb_peak: Math.round(Math.max(peakRss, rssHeld)),
    server_open_fds: fdsAllOpen,
    memory_by_open_streams: memory,
    hungUpAt,
  };
}

async function waitForLedger(url: string, key: string, expected: number) {
  const t0 = performance.now();
  let rows = 0;
  while (performance.now() - t0 < 180_000) {
    try {
      const res = await fetch(`${url}/v1/usage?group_by=model`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await res.json()) as { data: { group: string; requests: number }[] };
      rows = body.data.find((g) => g.group === "bench-hold")?.requests ?? 0;
      if (rows >= expected) break;
    } catch {
      // The API is busy settling thousands of aborted calls; ask again.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { ledger_rows: rows, expected, settle_s: r2((performance.now() - t0) / 1000) };
}

async function main() {
  const children: ChildProcess[] = [];
  const cleanups: (() => void)[] = [];
  const stopAll = () => {
    const exited = children.map((c) =>
      c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r)),
    );
    for (const c of children) c.kill("SIGTERM");
    children.length = 0;
    return Promise.all(exited);
  };
  process.on("exit", () => void stopAll());
  try {
    const stub = await start(
      "test/bench/ask-stub.ts",
      { BENCH_TTFT_MS: String(TTFT_MS), BENCH_HOLD_DELTA_MS: String(HOLD_DELTA_MS) },
      /stub listening on (\S+)/,
    );
    children.push(stub.child);
    // The vector engine runs as its own process, as Qdrant does in production: the API process's RSS
    // is then the API's own (the 100k-chunk index would otherwise count against the streams' budget).
    const engineDir = mkdtempSync(join(tmpdir(), "ask-bench-engine-"));
    cleanups.push(() => rmSync(engineDir, { recursive: true, force: true }));
    const engine = await start(
      "src/vector/engine/main.ts",
      { ENGINE_DATA_DIR: engineDir, ENGINE_PORT: "0" },
      /listening on (http:\/\/\S+)/,
    );
    children.push(engine.child);
    console.log(`stub at ${stub.match[1]}, engine at ${engine.match[1]}; starting the API and indexing...`);
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof") goes to the API process only, for profiling.
    const serverArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const server = await start(
      "test/bench/ask-server.ts",
      { BENCH_STUB_URL: stub.match[1]!, QDRANT_URL: engine.match[1]! },
      /READY (\{.*\})\n/,
      serverArgs,
    );
    children.push(server.child);
    const info = JSON.parse(server.match[1]!) as { url: string; latency: BenchTenant; streams: BenchTenant };
    const seeded = await seed(engine.match[1]!, info.latency, info.streams);
    console.log(
      `API at ${info.url}: ${seeded.chunks} chunks over ${TENANTS} tenants indexed in ${seeded.seed_ms} ms`,
    );
    const idleRss = Math.round(rssMb(server.child.pid!));

    const load = { at_start: loadavg().map(r2) } as Record<string, number[]>;
    const latency = await measureLatency(info.url, info.latency.key, info.latency.kbId);
    load.after_latency = loadavg().map(r2);
    console.log("latency", JSON.stringify(latency));
    const held = await holdStreams(info.url, info.streams.key, info.streams.kbId, server.child.pid!);
    load.after_streams = loadavg().map(r2);
    const { hungUpAt: _h, ...streams } = held;
    console.log("streams", JSON.stringify(streams));
    const ledger = await waitForLedger(info.url, info.streams.key, held.opened + held.error_count);
    console.log("ledger after hang-up", JSON.stringify(ledger));

    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: (await import("node:os")).cpus().length,
        node: process.version,
        // 1/5/15-minute load averages: the 2 cores are shared with other jobs, which skews every number.
        load_average: load,
      },
      index: { chunks: seeded.chunks, tenants: TENANTS, seed_ms: seeded.seed_ms },
      server_rss_mb_idle: idleRss,
      latency,
      streams,
      ledger_after_hang_up: ledger,
      targets: {
        added_latency_p50_le_25ms: latency.added_before_first_token.p50_ms <= 25,
        streams_10k_zero_errors:
          streams.opened >= 10_000 && streams.error_count === 0 && streams.dropped_while_held === 0,
        rss_below_2gb: streams.server_rss_mb_peak < 2048,
      },
    };
    mkdirSync(join(ROOT, "test/bench/results"), { recursive: true });
    writeFileSync(join(ROOT, "test/bench/results/ask.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(ROOT, "test/bench/results/ask.md"), markdown(results));
    console.log("wrote test/bench/results/ask.json and test/bench/results/ask.md");
  } finally {
    // The engine snapshots into its data dir on SIGTERM: remove the dir only once it has exited.
    await stopAll();
    for (const fn of cleanups) fn();
  }
}

function markdown(r: any): string {
  const l = r.latency;
  const s = r.streams;
  return `# Ask benchmark (${r.index.chunks} chunks over ${r.index.tenants} tenants, ${r.machine.cpus} CPUs, Node ${r.machine.node})

Four processes on loopback: provider stub (HTTP/2, fixed TTFT ${l.stub_ttft_ms} ms), the vector engine (as its own
process, like Qdrant in production), the API (PGlite + offline embedder) and the client. Run: \`npm run bench:ask\`.
The API reaches the stub through test/bench/h2-fetch.ts, a bench-only fetch that multiplexes provider calls over a
few HTTP/2 connections, so 10,000 open streams need 10,000 client sockets, not 20,000 (the container allows 20,000
open files per process); production uses the runtime's own fetch.

| metric | value | target |
| --- | --- | --- |
| added latency before the first token (search + prompt + budget + proxying), p50 / p99 | ${l.added_before_first_token.p50_ms} / ${l.added_before_first_token.p99_ms} ms | p50 ≤ 25 ms |
| of which before the provider request, p50 / p99 | ${l.before_provider_request.p50_ms} / ${l.before_provider_request.p99_ms} ms | |
| of which provider token → client, p50 / p99 | ${l.provider_token_to_client.p50_ms} / ${l.provider_token_to_client.p99_ms} ms | |
| client time to first token, p50 / p99 | ${l.client_time_to_first_token.p50_ms} / ${l.client_time_to_first_token.p99_ms} ms | |
| concurrent SSE streams opened / requested | ${s.opened} / ${s.requested} (ramp ${s.ramp_s} s) | ≥ 10,000 |
| errors / dropped while held 5 s | ${s.error_count} / ${s.dropped_while_held} | 0 |
| API RSS: idle / all open / peak | ${r.server_rss_mb_idle} / ${s.server_rss_mb_all_open} / ${s.server_rss_mb_peak} MB | < 2 GB |
| API RSS per open stream ((all open − idle) / opened) | ${s.opened ? Math.round(((s.server_rss_mb_all_open - r.server_rss_mb_idle) * 1024) / s.opened) : "–"} KB | |
| API open file descriptors with all streams open | ${s.server_open_fds} | |
| ledger rows after every client hung up | ${r.ledger_after_hang_up.ledger_rows} / ${r.ledger_after_hang_up.expected} (${r.ledger_after_hang_up.settle_s} s) | all |

API memory as streams opened (MB): ${s.memory_by_open_streams.map((m: { open: number; rss_mb: number; heap_used_mb: number }) => `${m.open}: rss ${m.rss_mb} / heap ${m.heap_used_mb}`).join("; ")}.

Generated ${r.date}. Load average (1 min) at start / after the latency phase / after the streams phase:
${r.machine.load_average.at_start[0]} / ${r.machine.load_average.after_latency[0]} / ${r.machine.load_average.after_streams[0]} on ${r.machine.cpus} cores (shared with other jobs).
`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
