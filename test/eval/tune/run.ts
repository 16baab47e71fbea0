/**
 * Retrieval-quality tuning for the offline embedder.
 *   npx tsx test/eval/tune/run.ts --dataset all|scifact|cmrc2018|xquad|<path> [--sweep fusion|sparse|dense|all] [--no-title] [--skip-baseline]
 * Prints dense / sparse / hybrid / MiniSearch metrics; --sweep runs parameter sweeps instead.
 */
import { existsSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { createOfflineEmbedder, OFFLINE_FUSION } from "../../../src/models/embedders/offline/index.js";
import { type EvalDataset, isCjkDataset, loadBeir, loadSquad } from "./datasets.js";
import { fuse, retrieve, score } from "./harness.js";
import type { Metrics } from "./metrics.js";
import { miniSearchRankings } from "./minisearch-baseline.js";
import { runSweeps } from "./sweeps.js";

const DATA = process.env.EVAL_DATA_DIR ?? "/work/shared/data";
const KNOWN: Record<string, () => EvalDataset> = {
  scifact: () => loadBeir(`${DATA}/scifact`, "train", "scifact"),
  cmrc2018: () => loadSquad(`${DATA}/cmrc2018/cmrc2018_dev.squad-style.json`, "cmrc2018"),
  xquad: () => loadSquad(`${DATA}/xquad/xquad.en.json`, "xquad"),
};

function load(name: string): EvalDataset {
  const known = KNOWN[name];
  if (known) return known();
  if (!existsSync(name)) {
    throw new Error(`unknown dataset "${name}": use ${Object.keys(KNOWN).join("|")}|all or a path`);
  }
  return statSync(name).isDirectory() ? loadBeir(name, "train", name) : loadSquad(name, name);
}

export function row(label: string, m: Metrics): string {
  const f = (x: number) => x.toFixed(4);
  return `${label.padEnd(34)} ${f(m.ndcg10)}  ${f(m.r1)}  ${f(m.r5)}  ${f(m.r10)}  ${f(m.r100)}  ${f(m.mrr10)}`;
}
export const HEADER = `${"".padEnd(34)} nDCG@10 R@1     R@5     R@10    R@100   MRR@10`;

async function main() {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string", default: "all" },
      sweep: { type: "string" },
      "skip-baseline": { type: "boolean", default: false },
      "no-title": { type: "boolean", default: false },
    },
  });
  const names = values.dataset === "all" ? Object.keys(KNOWN) : [values.dataset!];
  const policy = { withTitle: !values["no-title"] };
  for (const name of names) {
    const ds = load(name);
    console.log(
      `\n== ${ds.name}: ${ds.docs.length} docs, ${ds.queries.length} queries, title=${policy.withTitle}`,
    );
    if (values.sweep) {
      await runSweeps(ds, policy, values.sweep);
      continue;
    }
    const embedder = createOfflineEmbedder();
    const r = await retrieve(ds, embedder, policy, OFFLINE_FUSION.prefetchLimit);
    console.log(`embedder ${embedder.id}: corpus embedded in ${r.embedMs.toFixed(0)} ms`);
    console.log(HEADER);
    console.log(row("dense", score(ds, r.dense)));
    console.log(row("sparse", score(ds, r.sparse)));
    console.log(row(`hybrid (OFFLINE_FUSION)`, score(ds, fuse(r, OFFLINE_FUSION))));
    console.log(row("hybrid rrf k=2 equal", score(ds, fuse(r, { k: 2, denseWeight: 1, sparseWeight: 1 }))));
    if (!values["skip-baseline"]) console.log(row("minisearch", minisearchMetrics(ds, policy.withTitle)));
    if (values.sweep) await runSweeps(ds, policy, values.sweep);
  }
}

function minisearchMetrics(ds: EvalDataset, withTitle: boolean): Metrics {
  const rankings = miniSearchRankings(ds, isCjkDataset(ds), withTitle);
  const pos = new Map(ds.docs.map((d, i) => [d.id, i]));
  const lists = ds.queries.map((q) => (rankings.get(q.id) ?? []).map((id) => pos.get(id)!));
  return score(ds, lists);
}

await main();
