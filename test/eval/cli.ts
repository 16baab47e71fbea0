/**
 * Retrieval evaluation through the real product path.
 *   npm run eval -- --dataset PATH [--format beir|squad] [--mode hybrid|dense|sparse|all]
 *                   [--out FILE] [--limit-queries N] [--split train] [--name NAME] [--chunk-size N]
 *                   [--latency-breakdown] [--answers [--ood PATH] [--ood-limit N] [--dump-cases DIR]]
 *                   [--script simplified|traditional|mixed]
 * A BEIR directory (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) or a SQuAD-style JSON file.
 * --answers (SQuAD-style only) also asks every question through POST /v1/ask: answer recall and
 * sentences per answer per paragraph and per article, abstention on held-out articles' questions and,
 * with --ood, on another dataset's questions (a BEIR directory or a SQuAD file).
 * --script converts a Simplified Chinese set to Traditional at run time (OpenCC): documents and
 * questions (traditional) or the questions only (mixed); see tune/traditional.ts.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadForeignQuestions, loadGoldSet } from "./answers/gold.js";
import { ALL_MODES, runProductEval } from "./harness.js";
import type { SearchMode } from "./queries.js";
import { writeReport } from "./report.js";
import { type EvalDataset, loadBeir, loadSquad } from "./tune/datasets.js";
import { SCRIPT_VARIANTS, type ScriptVariant, withScript } from "./tune/traditional.js";

function fail(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(2);
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

function loadDataset(path: string, format: string | undefined, split: string, name: string): EvalDataset {
  if (!existsSync(path)) fail(`dataset ${path} does not exist (give a BEIR directory or a SQuAD JSON file)`);
  const kind = format ?? (statSync(path).isDirectory() ? "beir" : "squad");
  if (kind === "beir") return loadBeir(path, split, name);
  if (kind === "squad") return loadSquad(path, name);
  fail(`--format must be beir or squad, got "${kind}"`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string" },
      format: { type: "string" },
      mode: { type: "string", default: "all" },
      out: { type: "string" },
      "limit-queries": { type: "string" },
      split: { type: "string", default: "train" },
      name: { type: "string" },
      "chunk-size": { type: "string" },
      "latency-breakdown": { type: "boolean", default: false },
      answers: { type: "boolean", default: false },
      ood: { type: "string" },
      "ood-limit": { type: "string" },
      "dump-cases": { type: "string" },
      script: { type: "string", default: "simplified" },
    },
  });
  if (!values.dataset) fail("--dataset PATH is required (a BEIR directory or a SQuAD-style JSON file)");
  const path = resolve(values.dataset);
  const name = values.name ?? basename(path).replace(/\..*$/, "");
  const modes: SearchMode[] =
    values.mode === "all"
      ? ALL_MODES
      : ALL_MODES.includes(values.mode as SearchMode)
        ? [values.mode as SearchMode]
        : fail(`--mode must be hybrid, dense, sparse or all, got "${values.mode}"`);
  const limitQueries = positiveInt("limit-queries", values["limit-queries"]);
  const chunkSize = positiveInt("chunk-size", values["chunk-size"]);
  const out = resolve(values.out ?? `test/bench/results/eval-${name}.json`);

  const script = values.script as ScriptVariant;
  if (!SCRIPT_VARIANTS.includes(script))
    fail(`--script must be ${SCRIPT_VARIANTS.join(", ")}, got "${values.script}"`);
  if (script !== "simplified" && values.answers)
    fail("--script traditional|mixed evaluates retrieval only; drop --answers");
  const ds = withScript(loadDataset(path, values.format, values.split!, name), script);
  if (values.answers && statSync(path).isDirectory())
    fail("--answers needs a SQuAD-style JSON file (gold answer texts); BEIR sets have none");
  if (values.ood && !existsSync(resolve(values.ood))) fail(`--ood ${values.ood} does not exist`);
  const oodLimit = positiveInt("ood-limit", values["ood-limit"]) ?? 500;
  const answers = values.answers
    ? {
        set: loadGoldSet(path, name),
        ...(values.ood
          ? {
              foreign: {
                name: basename(resolve(values.ood)).replace(/\..*$/, ""),
                questions: loadForeignQuestions(resolve(values.ood), oodLimit),
              },
            }
          : {}),
        ...(values["dump-cases"] ? { dumpDir: resolve(values["dump-cases"]) } : {}),
      }
    : undefined;
  console.error(
    `eval ${name}: ${ds.docs.length} documents, ${ds.queries.length} queries, modes ${modes.join(",")}`,
  );
  const report = await runProductEval(ds, {
    modes,
    limitQueries,
    chunkSize,
    latencyBreakdown: values["latency-breakdown"],
    ...(answers ? { answers } : {}),
    log: (line) => console.error(`  ${line}`),
  });
  const md = await writeReport(report, out);
  process.stdout.write(md);
  console.error(`wrote ${out} and ${out.replace(/\.json$/i, "")}.md`);
}

main().catch((err) => {
  console.error("eval failed:", err instanceof Error ? err.message : err);
  process.exit(1);
});
