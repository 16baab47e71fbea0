import { describe, expect, it } from "vitest";
import { type EvalReport, runProductEval } from "../eval/harness.js";
import { loadSquad } from "../eval/tune/datasets.js";
import { withScript } from "../eval/tune/traditional.js";
import { FIXTURES } from "../helpers/ingest.js";

/**
 * Retrieval-quality floors through the product path (upload route -> in-process ingestion -> embedded
 * engine -> POST /v1/search), on the small CC BY-SA samples in fixtures/eval. Floors are the values
 * measured when they were set, minus a small margin: a tokenization, title-handling or fusion
 * regression drops well below them. Measured (offline-hash-v1-384, chunk_size 400):
 *   xquad-sample (40 docs, 246 q)     hybrid R@1 0.9756, nDCG@10 0.9894 (MiniSearch 0.9715 / 0.9878)
 *   cmrc2018-sample (43 docs, 163 q)  hybrid R@1 1.0000, nDCG@10 1.0000 (MiniSearch 0.9877 / 0.9955)
 * (a question is 0.4-0.6 points of R@1 here, so the margins allow ~4-5 new misses).
 */
const FLOORS = {
  xquad: { r1: 0.95, ndcg10: 0.97 },
  cmrc2018: { r1: 0.97, ndcg10: 0.98 },
} as const;

function hybrid(report: EvalReport) {
  const row = report.results.find((r) => r.mode === "hybrid");
  if (!row) throw new Error("no hybrid row in the report");
  return row.metrics;
}

describe("retrieval quality floors (eval harness, embedded profile)", () => {
  for (const [name, floor] of Object.entries(FLOORS)) {
    it(`${name} sample: hybrid recall@1 and nDCG@10 stay above their floors`, async () => {
      const ds = loadSquad(`${FIXTURES}eval/${name}-sample.json`, `${name}-sample`);
      const report = await runProductEval(ds, { modes: ["hybrid"] });
      expect(report.ingestion.documents).toBe(ds.docs.length);
      expect(report.dataset.queries).toBe(ds.queries.length);
      const m = hybrid(report);
      expect(m.r1).toBeGreaterThanOrEqual(floor.r1);
      expect(m.ndcg10).toBeGreaterThanOrEqual(floor.ndcg10);
      // The offline hybrid default must not fall behind the plain BM25 library on the same data.
      const baseline = report.results.find((r) => r.mode === "minisearch")!.metrics;
      expect(m.ndcg10).toBeGreaterThanOrEqual(baseline.ndcg10 - 0.01);
    }, 120_000);
  }

  // Traditional Chinese is folded to Simplified before n-grams, so the same sample converted with
  // OpenCC (documents and questions, or the questions only) holds the Simplified floor.
  for (const script of ["traditional", "mixed"] as const) {
    it(`cmrc2018 sample, ${script} script: hybrid recall@1 and nDCG@10 hold the Simplified floor`, async () => {
      const ds = withScript(loadSquad(`${FIXTURES}eval/cmrc2018-sample.json`, "cmrc2018-sample"), script);
      const report = await runProductEval(ds, { modes: ["hybrid"] });
      expect(report.ingestion.documents).toBe(ds.docs.length);
      const m = hybrid(report);
      expect(m.r1).toBeGreaterThanOrEqual(FLOORS.cmrc2018.r1);
      expect(m.ndcg10).toBeGreaterThanOrEqual(FLOORS.cmrc2018.ndcg10);
    }, 120_000);
  }
});
