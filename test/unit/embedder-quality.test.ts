import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createOfflineEmbedder, OFFLINE_FUSION } from "../../src/models/embedders/offline/index.js";
import { squadToDataset } from "../eval/tune/datasets.js";
import { fuse, retrieve, score } from "../eval/tune/harness.js";
import { rrfFuse } from "../eval/tune/scorer.js";

/**
 * Retrieval-quality floors on the small fixtures in fixtures/eval (measured values minus a margin; see
 * test/eval/tune/README.md). A drop below a floor means a tokenizer or weighting change hurt retrieval.
 */
const load = (file: string, name: string) =>
  squadToDataset(
    JSON.parse(readFileSync(new URL(`../../fixtures/eval/${file}`, import.meta.url), "utf8")),
    name,
  );

const CASES = [
  // Measured (title prepended): xquad-sample hybrid 0.976 / sparse 0.976 / dense 0.894;
  // cmrc2018-sample hybrid 1.000 / sparse 1.000 / dense 0.859.
  { file: "xquad-sample.json", name: "xquad-sample", hybridR1: 0.95, sparseR1: 0.95, denseR1: 0.85 },
  { file: "cmrc2018-sample.json", name: "cmrc2018-sample", hybridR1: 0.97, sparseR1: 0.97, denseR1: 0.8 },
] as const;

describe("offline embedder retrieval floors", () => {
  for (const c of CASES) {
    it(`${c.name}: recall@1 stays above the measured floor`, async () => {
      const ds = load(c.file, c.name);
      const r = await retrieve(
        ds,
        createOfflineEmbedder(),
        { withTitle: true },
        OFFLINE_FUSION.prefetchLimit,
      );
      const hybrid = score(ds, fuse(r, OFFLINE_FUSION));
      const sparse = score(ds, r.sparse);
      const dense = score(ds, r.dense);
      expect(hybrid.r1).toBeGreaterThanOrEqual(c.hybridR1);
      expect(sparse.r1).toBeGreaterThanOrEqual(c.sparseR1);
      expect(dense.r1).toBeGreaterThanOrEqual(c.denseR1);
      expect(hybrid.r10).toBeGreaterThanOrEqual(0.97);
    });
  }
});

describe("in-memory RRF matches Qdrant's formula", () => {
  it("scores 0-based position p as 1/(p + k) and applies weights as (p + 1)/w + k - 1", () => {
    // Same lists as Qdrant's own rrf_scoring unit test: expected order 1, 2, 3, 5.
    const lists = [
      [2, 1],
      [1, 2, 3],
      [5, 3, 1],
    ];
    expect(rrfFuse(lists, 2)).toEqual([1, 2, 3, 5]);
    // With weights 3:1 the second-ranked item of the heavy list beats the top of the light one.
    expect(
      rrfFuse(
        [
          [1, 2],
          [2, 1],
        ],
        2,
        [3, 1],
      )[0],
    ).toBe(2);
  });
});
