/**
 * OCR throughput (issue 19): the OCR plugin, packed as `npm run plugins:pack` packs it, unpacked by
 * the host's tarball reader and run in its sandbox, reads the scanned fixtures (fixtures/pdf:
 * pdfjs_issue7229.pdf, 2 JPEG pages of 1654x2338; tika_testOCR.pdf, 1 Flate page of 934x261).
 * Records the cold first call (sandbox start, engine and language data load, OCR) and then ROUNDS
 * warm passes, as pages per second, for English alone and English + Simplified Chinese (the
 * default). Writes test/bench/results/ocr.json and ocr.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { packPlugin } from "../../src/build/core-plugins.js";
import { readTarball } from "../../src/plugins/install/tarball.js";
import { invoke, readManifest } from "../../src/plugins/package.js";
import { PluginSandbox } from "../../src/plugins/sandbox/pool.js";

const ROOT = join(import.meta.dirname, "../..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const FIXTURES = ["pdfjs_issue7229.pdf", "tika_testOCR.pdf"].map((name) => ({
  name,
  bytes: readFileSync(join(ROOT, "fixtures/pdf", name)).toString("base64"),
}));

const work = mkdtempSync(join(tmpdir(), "aihub-bench-ocr-"));
const tarball = packPlugin(join(ROOT, "src/plugins/core/ocr"), work);
const tarballBytes = readFileSync(tarball).length;
const dir = join(work, "installed");
for (const f of readTarball(readFileSync(tarball))) {
  mkdirSync(dirname(join(dir, f.path)), { recursive: true });
  writeFileSync(join(dir, f.path), f.bytes);
}
const manifest = await readManifest(dir);

async function measure(languages: string[]) {
  const sandbox = new PluginSandbox(dir, manifest);
  const load = async (f: (typeof FIXTURES)[number]) => {
    const input = { bytes: f.bytes, mediaType: "application/pdf", filename: f.name };
    return (await invoke(sandbox, "loader", "load", input, { languages })).pages.length;
  };
  try {
    let started = performance.now();
    const coldPages = await load(FIXTURES[0]!);
    const coldMs = performance.now() - started;
    let pages = 0;
    started = performance.now();
    for (let r = 0; r < ROUNDS; r++) for (const f of FIXTURES) pages += await load(f);
    const warmMs = performance.now() - started;
    return {
      languages: languages.join("+"),
      cold_first_call_ms: Math.round(coldMs),
      cold_pages: coldPages,
      warm_pages: pages,
      warm_ms: Math.round(warmMs),
      pages_per_second: Number(((pages * 1000) / warmMs).toFixed(3)),
      ms_per_page: Math.round(warmMs / pages),
    };
  } finally {
    sandbox.close();
  }
}

const results = [await measure(["eng"]), await measure(["eng", "chi_sim"])];
rmSync(work, { recursive: true, force: true });
const report = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  load_average_1m: Number(loadavg()[0]!.toFixed(2)),
  rounds: ROUNDS,
  fixtures: FIXTURES.map((f) => f.name),
  tarball_bytes: tarballBytes,
  results,
};
const out = join(ROOT, "test/bench/results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "ocr.json"), `${JSON.stringify(report, null, 2)}\n`);
const md = [
  "# OCR plugin throughput",
  "",
  `${report.at}, Node ${report.node}, ${report.cpus} CPUs (load ${report.load_average_1m}), ${ROUNDS} warm passes over ${report.fixtures.join(", ")} (3 pages a pass); plugin tarball ${(tarballBytes / 1e6).toFixed(1)} MB.`,
  "",
  "| languages | cold first call (ms) | warm pages | warm ms | pages/s | ms/page |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
  ...results.map(
    (r) =>
      `| ${r.languages} | ${r.cold_first_call_ms} | ${r.warm_pages} | ${r.warm_ms} | ${r.pages_per_second} | ${r.ms_per_page} |`,
  ),
  "",
];
writeFileSync(join(out, "ocr.md"), md.join("\n"));
console.log(md.join("\n"));
