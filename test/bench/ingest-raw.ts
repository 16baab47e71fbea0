/**
 * The ingestion benchmark's baseline: raw pdf-parse text extraction (getText of every page) of one
 * PDF, nothing else. Run by test/bench/ingest.ts in a child process with plain Node (its own type
 * stripping, no tsx loader), the leanest and fastest way to run pdf-parse, so the baseline is never
 * flattered by overhead the pipeline avoids. Extracts the file twice: the first run is cold (pdf.js
 * not yet compiled by the JIT), the second warm, to compare with a service's first and later
 * documents. Prints one JSON line: pages, wall and CPU ms per run, peak RSS in MB.
 */
import { readFileSync } from "node:fs";
import { PDFParse } from "pdf-parse";

const file = process.argv[2];
if (!file) throw new Error("usage: node test/bench/ingest-raw.ts <file.pdf>");
const bytes = readFileSync(file);
const runs: { ms: number; cpuMs: number }[] = [];
let pages = 0;
let chars = 0;
for (let i = 0; i < 2; i++) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  const result = await parser.getText();
  await parser.destroy();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  runs.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000 });
  pages = result.pages.length;
  chars = result.text.length;
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
const rssMb = hwm ? Number(hwm[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
process.stdout.write(`${JSON.stringify({ pages, chars, runs, rssMb })}\n`);
