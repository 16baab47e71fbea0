/**
 * Parsing throughput before and after isolation (issue 10): the DOCX, HTML and Markdown fixtures,
 * parsed and chunked (default 400/60 tokens)
 *   - in-thread: parseDocument + chunkDocument on the calling thread, as the pipeline did before;
 *   - isolated: parseIsolated, on a parse thread with its heap and time limits, as it does now;
 * each for ROUNDS passes over the fixtures, one document at a time, after one warm-up pass. Also
 * records the longest the calling thread's event loop was blocked during each, which is what
 * isolation is for. Writes test/bench/results/parse.json and parse.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { chunkDocument, DEFAULT_CHUNKING } from "../../ingest/chunker/index.js";
import { parseDocument } from "../../ingest/parsers/index.js";
import { holdParseThread, parseIsolated } from "../../ingest/parsers/parse-pool.js";
import type { DocFormat } from "../../ingest/types.js";

const ROOT = join(import.meta.dirname, "../..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const FORMATS: [string, Exclude<DocFormat, "pdf">][] = [
  ["docx", "docx"],
  ["html", "html"],
  ["markdown", "markdown"],
];

const docs = FORMATS.flatMap(([dir, format]) =>
  readdirSync(join(ROOT, "fixtures", dir))
    .filter((f) => !f.endsWith(".txt"))
    .map((f) => ({ name: f, format, bytes: new Uint8Array(readFileSync(join(ROOT, "fixtures", dir, f))) })),
);

async function inThread(doc: (typeof docs)[number]): Promise<number> {
  try {
    return chunkDocument(await parseDocument(doc.bytes, doc.format), DEFAULT_CHUNKING).length;
  } catch {
    return 0; // empty fixtures fail the same way in both modes
  }
}

async function isolated(doc: (typeof docs)[number]): Promise<number> {
  let n = 0;
  try {
    await parseIsolated(doc.bytes, doc.format, {
      chunking: DEFAULT_CHUNKING,
      onParsed() {},
      onChunks(chunks) {
        n += chunks.length;
      },
    });
  } catch {}
  return n;
}

async function run(mode: string, fn: (doc: (typeof docs)[number]) => Promise<number>) {
  for (const doc of docs) await fn(doc);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let chunks = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const doc of docs) {
      chunks += await fn(doc);
      bytes += doc.bytes.length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  delay.disable();
  return {
    mode,
    documents: ROUNDS * docs.length,
    seconds: +seconds.toFixed(2),
    docsPerSecond: +((ROUNDS * docs.length) / seconds).toFixed(1),
    mbPerSecond: +(bytes / 1e6 / seconds).toFixed(2),
    chunks,
    cpuSeconds: +((used.user + used.system) / 1e6).toFixed(2),
    maxEventLoopBlockMs: +(delay.max / 1e6).toFixed(1),
  };
}

const load = loadavg()[0]!;
const release = holdParseThread();
const results = [await run("in-thread (before)", inThread), await run("isolated (after)", isolated)];
release();
const report = {
  date: new Date().toISOString(),
  node: process.version,
  rounds: ROUNDS,
  fixtures: docs.length,
  fixtureBytes: docs.reduce((n, d) => n + d.bytes.length, 0),
  loadAverage: [load, loadavg()[0]!].map((l) => +l.toFixed(2)),
  results,
};
const out = join(ROOT, "test/bench/results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "parse.json"), `${JSON.stringify(report, null, 2)}\n`);
const md = [
  "# Parsing benchmark (DOCX, HTML, Markdown fixtures; parse + chunk)",
  "",
  `${report.date}, Node ${report.node}, ${docs.length} fixtures (${report.fixtureBytes} bytes) x ${ROUNDS} rounds, load average ${report.loadAverage.join(" -> ")} (2 cores).`,
  "",
  "| Mode | Documents | Seconds | Docs/s | MB/s | CPU s (process) | Longest event-loop block ms |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${r.mode} | ${r.documents} | ${r.seconds} | ${r.docsPerSecond} | ${r.mbPerSecond} | ${r.cpuSeconds} | ${r.maxEventLoopBlockMs} |`,
  ),
  "",
];
writeFileSync(join(out, "parse.md"), md.join("\n"));
console.log(md.join("\n"));
