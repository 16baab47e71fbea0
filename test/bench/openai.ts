/**
 * bench:openai — what the OpenAI-compatible door adds over /v1/ask for the same grounded request.
 * One process, the app in-process (no sockets, so network noise does not swamp a sub-millisecond
 * difference): PGlite, the embedded vector engine, the offline embedder and an in-process model that
 * streams a fixed answer with usage at once (a provider's own time would only add noise to both).
 * Requests alternate /v1/ask and /v1/chat/completions (ABAB...) with the same question, knowledge base,
 * model and top_k, so load drifting on a shared machine hits both alike; each pair's difference is also
 * recorded. Streamed (SSE, read to the end) and JSON are measured separately.
 * Env: BENCH_N (400 pairs per variant), BENCH_WARMUP (50). Writes test/bench/results/openai.json and .md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { ModelInfo, ModelRegistry } from "../../src/models/registry.js";
import type { ChatEvent, ChatModel } from "../../src/models/types.js";
import { createTestApp } from "../helpers/app.js";
import { seedGeography } from "../helpers/ask-app.js";
import { openTestDatabase } from "../helpers/database.js";
import { startSearchFixture } from "../helpers/search-index.js";
import { pct } from "./stats.js";

const N = Number(process.env.BENCH_N ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const OUT = join(import.meta.dirname, "results");

const ANSWER = "Paris is the capital of France [1]. Its currency is the euro [2].";
const fixed: ChatModel = {
  id: "fixed",
  async *stream(): AsyncGenerator<ChatEvent> {
    for (const piece of ANSWER.match(/\s*\S+/g) ?? []) yield { type: "delta", text: piece };
    yield {
      type: "usage",
      usage: { inputTokens: 200, outputTokens: 14, cachedInputTokens: 0, source: "provider" },
    };
  },
};
const info: ModelInfo = {
  id: "fixed",
  provider: "bench",
  upstream: "fixed",
  contextWindow: 8192,
  maxOutputTokens: 1024,
  price: {
    inputMicrosPerMillion: 2_000_000,
    outputMicrosPerMillion: 5_000_000,
    cachedInputMicrosPerMillion: 0,
  },
  priceSource: "config",
};
const models: ModelRegistry = {
  list: () => [info],
  get: (id) => (id === "fixed" ? { info, chat: fixed } : undefined),
  defaultModelId: "fixed",
};
const database = await openTestDatabase("pglite");
const fx = await startSearchFixture();
// Rate limits off: the benchmark sends ~1,000 requests a minute through one key, on purpose.
const t = await createTestApp(
  database,
  { vectors: fx.vectors, embedder: fx.embedder, models },
  { RATE_LIMIT_PER_MINUTE: "0" },
);
const a = {
  t,
  fx,
  async close() {
    await fx.close();
    await database.cleanup();
  },
};
const geo = await seedGeography(a as unknown as Parameters<typeof seedGeography>[0]);
const headers = { authorization: `Bearer ${geo.adminKey}`, "content-type": "application/json" };
const question = "What is the capital of France and its currency?";

async function timed(path: string, body: unknown): Promise<number> {
  const started = performance.now();
  const res = await a.t.app.request(path, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200 || !text.includes("Paris"))
    throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
  return ms;
}

const askBody = (stream: boolean) => ({
  question,
  knowledge_base_ids: [geo.kbId],
  models: ["fixed"],
  stream,
});
const chatBody = (stream: boolean) => ({
  model: "fixed",
  messages: [{ role: "user", content: question }],
  knowledge_base_ids: [geo.kbId],
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
});

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
  loadavg_start: loadavg(),
  pairs: N,
};
const rows: string[] = [];
for (const stream of [false, true]) {
  for (let i = 0; i < WARMUP; i++) {
    await timed("/v1/ask", askBody(stream));
    await timed("/v1/chat/completions", chatBody(stream));
  }
  const ask: number[] = [];
  const chat: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < N; i++) {
    // Alternate which goes first, so neither always runs on a warmer cache.
    const first = i % 2 === 0;
    const x = first ? await timed("/v1/ask", askBody(stream)) : 0;
    const y = await timed("/v1/chat/completions", chatBody(stream));
    const z = first ? x : await timed("/v1/ask", askBody(stream));
    ask.push(z);
    chat.push(y);
    diff.push(y - z);
  }
  const name = stream ? "streamed" : "json";
  const r = {
    ask_p50_ms: pct(ask, 50),
    chat_p50_ms: pct(chat, 50),
    added_p50_ms: pct(chat, 50) - pct(ask, 50),
    paired_diff_p50_ms: pct(diff, 50),
    ask_p99_ms: pct(ask, 99),
    chat_p99_ms: pct(chat, 99),
  };
  report[name] = r;
  rows.push(
    `| ${name} | ${r.ask_p50_ms.toFixed(2)} | ${r.chat_p50_ms.toFixed(2)} | **${r.added_p50_ms.toFixed(2)}** | ${r.paired_diff_p50_ms.toFixed(2)} | ${r.ask_p99_ms.toFixed(2)} / ${r.chat_p99_ms.toFixed(2)} |`,
  );
  console.log(name, JSON.stringify(r));
}
report.loadavg_end = loadavg();
await a.close();
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "openai.json"), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(
  join(OUT, "openai.md"),
  [
    `# bench:openai — ${report.date}`,
    "",
    `${report.cpus}, Node ${report.node}, load average at start ${(report.loadavg_start as number[]).map((l) => l.toFixed(1)).join(" ")}; ${N} alternating pairs per variant after ${WARMUP} warm-up pairs; in-process app (PGlite, embedded engine, offline embedder, in-process model streaming a fixed answer), grounded request with the same question, knowledge base, model and top_k.`,
    "",
    "| variant | /v1/ask p50 ms | /v1/chat/completions p50 ms | added p50 ms | paired difference p50 ms | p99 ask / chat ms |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n"),
);
process.exit(0);
