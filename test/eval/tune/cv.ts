/**
 * Cross-validated choice of offline-embedder settings.
 *   npm run eval:cv -- [--folds 5] [--grid script|bm25|cjk|prf|fusion|all] [--sets scifact,cmrc2018,...]
 *                      [--limit-queries N] [--out FILE]
 * Grids: cv-variants.ts (script folding, BM25, per-language BM25, fusion, pseudo-relevance feedback).
 * Sets: scifact (nDCG@10, folds by query), xquad, cmrc2018, cmrc2018-traditional, cmrc2018-mixed
 * (R@1, folds by article). Each fold's setting is chosen on the other K-1 folds of every set at once
 * (one configuration serves every language) and scored on the held-out fold; the report gives that
 * held-out average beside each candidate's own. Scoring is in-process through the product's embedder
 * and an engine-equivalent scorer (scorer.ts); final figures come from `npm run eval`.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../../src/node-check.js";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createOfflineEmbedder } from "../../../src/models/embedders/offline/index.js";
import { CJK_ONLY_KNOBS, GRIDS, type Variant } from "./cv-variants.js";
import { type EvalDataset, isCjkDataset, loadBeir, loadSquad } from "./datasets.js";
import { type CvSet, crossValidate, foldOf } from "./folds.js";
import { fuse, type Retrieved, retrieve } from "./harness.js";
import { evaluateRankings } from "./metrics.js";
import { withScript } from "./traditional.js";

const DATA = process.env.EVAL_DATA_DIR ?? "/work/shared/data";
const CMRC = `${DATA}/cmrc2018/cmrc2018_dev.squad-style.json`;
const SETS: Record<string, { load: () => EvalDataset; metric: "ndcg10" | "r1" }> = {
  scifact: { load: () => loadBeir(`${DATA}/scifact`, "train", "scifact"), metric: "ndcg10" },
  xquad: { load: () => loadSquad(`${DATA}/xquad/xquad.en.json`, "xquad"), metric: "r1" },
  cmrc2018: { load: () => loadSquad(CMRC, "cmrc2018"), metric: "r1" },
  "cmrc2018-traditional": {
    load: () => withScript(loadSquad(CMRC, "cmrc2018"), "traditional"),
    metric: "r1",
  },
  "cmrc2018-mixed": { load: () => withScript(loadSquad(CMRC, "cmrc2018"), "mixed"), metric: "r1" },
};

function fail(message: string): never {
  console.error(`eval:cv: ${message}`);
  process.exit(2);
}

/** The first N queries (with their qrels): sweeps on a slice, final figures on all. */
function firstQueries(ds: EvalDataset, n?: number): EvalDataset {
  if (n === undefined || n >= ds.queries.length) return ds;
  const queries = ds.queries.slice(0, n);
  return { ...ds, queries, qrels: new Map(queries.map((q) => [q.id, ds.qrels.get(q.id)!])) };
}

function perQuery(ds: EvalDataset, lists: number[][], metric: "ndcg10" | "r1"): number[] {
  return ds.queries.map((q, i) => {
    const ranked = new Map([[q.id, lists[i]!.slice(0, 10).map((d) => ds.docs[d]!.id)]]);
    return evaluateRankings(ranked, new Map([[q.id, ds.qrels.get(q.id)!]]))[metric];
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      folds: { type: "string", default: "5" },
      grid: { type: "string", default: "all" },
      sets: { type: "string", default: Object.keys(SETS).join(",") },
      "limit-queries": { type: "string" },
      out: { type: "string" },
    },
  });
  const k = Number(values.folds);
  if (!Number.isInteger(k) || k < 2 || k > 20)
    fail(`--folds must be an integer in 2..20, got "${values.folds}"`);
  const gridNames = values.grid === "all" ? Object.keys(GRIDS) : values.grid!.split(",");
  for (const g of gridNames)
    if (!GRIDS[g]) fail(`unknown --grid "${g}": use ${Object.keys(GRIDS).join("|")}|all`);
  const setNames = values.sets!.split(",");
  for (const s of setNames) if (!SETS[s]) fail(`unknown set "${s}": use ${Object.keys(SETS).join(",")}`);
  const limit = values["limit-queries"] ? Number(values["limit-queries"]) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    fail(`--limit-queries must be a positive integer, got "${values["limit-queries"]}"`);

  const datasets = setNames.map((name) => {
    const ds = firstQueries(SETS[name]!.load(), limit);
    return { name, ...SETS[name]!, ds, cjk: isCjkDataset(ds) };
  });
  const report: Record<string, unknown> = {
    folds: k,
    sets: setNames,
    limitQueries: limit ?? null,
    grids: {},
  };
  for (const gridName of gridNames) {
    const variants: Variant[] = GRIDS[gridName]!;
    const sets: CvSet[] = datasets.map((d) => ({
      name: d.name,
      perQuery: new Map(),
      folds: foldOf(d.ds, k),
    }));
    const cache = new Map<string, Retrieved>();
    for (const variant of variants) {
      for (const [i, d] of datasets.entries()) {
        // English sets embed the same under CJK-only knobs, so their retrieval is reused across those.
        const config = d.cjk
          ? variant.config
          : Object.fromEntries(Object.entries(variant.config).filter(([knob]) => !CJK_ONLY_KNOBS.has(knob)));
        const key = `${d.name}|${JSON.stringify(config)}|${JSON.stringify(variant.prf ?? null)}`;
        let r = cache.get(key);
        if (!r) {
          const embedder = createOfflineEmbedder({ config: variant.config });
          r = await retrieve(d.ds, embedder, { withTitle: true }, 100, variant.prf);
          cache.set(key, r);
        }
        sets[i]!.perQuery.set(variant.name, perQuery(d.ds, fuse(r, variant.fusion), d.metric));
      }
      console.error(`  ${gridName}: ${variant.name} scored`);
    }
    const out = crossValidate(
      sets,
      variants.map((v) => v.name),
      k,
    );
    (report.grids as Record<string, unknown>)[gridName] = out;
    const f4 = (x: number) => x.toFixed(4);
    console.log(
      `\n== grid ${gridName}, ${k} folds (${datasets.map((d) => `${d.name} ${d.metric}`).join(", ")})`,
    );
    console.log(`${"variant".padEnd(28)} ${setNames.map((s) => s.padStart(21)).join(" ")}`);
    for (const [name, scores] of Object.entries(out.perVariant))
      console.log(`${name.padEnd(28)} ${setNames.map((s) => f4(scores[s]!).padStart(21)).join(" ")}`);
    console.log(
      `${"held-out (chosen per fold)".padEnd(28)} ${setNames.map((s) => f4(out.heldOut[s]!).padStart(21)).join(" ")}`,
    );
    console.log(`chosen per fold: ${out.chosen.join(" | ")}`);
  }
  if (values.out)
    writeFileSync(
      values.out,
      `${JSON.stringify({ ...report, createdAt: new Date().toISOString() }, null, 2)}\n`,
    );
}

await main();
