import { describe, expect, it } from "vitest";
import { checkPluginVectors, MAX_PLUGIN_DIMENSION } from "../../src/services/plugins/embedders.js";
import { fuseRanks, GROUP_RRF_K, groupByEmbedder } from "../../src/services/search/embedder-groups.js";
import type { KbRow } from "../../src/services/search/visible-kbs.js";
import { pluginEmbedderSpace, vectorsOfKb } from "../../src/vector/collections.js";
import { collectionNameFor } from "../../src/vector/qdrant-index.js";
import type { Hit, VectorIndex } from "../../src/vector/types.js";

/** What the host accepts from an embedder plugin, and how searches over several embedders merge. */
describe("embedder plugin vectors", () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return [(err as { code: string }).code, (err as Error).message];
    }
    return null;
  };

  it("accepts one finite vector per text of one dimension and returns it", () => {
    expect(
      checkPluginVectors(
        "p",
        [
          [1, 0],
          [0, 2],
        ],
        2,
        null,
      ),
    ).toBe(2);
    expect(checkPluginVectors("p", [[1, 0, 0]], 1, 3)).toBe(3);
    expect(checkPluginVectors("p", [], 0, null)).toBe(0);
  });

  it.each([
    [[[1, 0]], 2, null, /answered 1 vectors for 2 texts/],
    [[[1, 0], [1]], 2, null, /mixed dimensions \(2 and 1, text 2\)/],
    [[[1, Number.NaN]], 1, null, /non-finite value \(text 1\)/],
    [[[Number.POSITIVE_INFINITY, 1]], 1, null, /non-finite/],
    [[[0, 0]], 1, null, /all-zero vector/],
    [[[]], 1, null, /0 dimensions/],
    [[new Array(MAX_PLUGIN_DIMENSION + 1).fill(1)], 1, null, /1 to 8192 are accepted/],
    [[[1, 2]], 1, 64, /2-dimensional vectors, but this knowledge base's vectors have 64/],
  ] as const)(
    "refuses %j (for %i texts, expecting %s) with plugin_bad_output",
    (vectors, n, dim, message) => {
      const [c, m] = code(() => checkPluginVectors("tiny", vectors as unknown as number[][], n, dim)) ?? [];
      expect(c).toBe("plugin_bad_output");
      expect(m).toMatch(message);
      expect(m).toMatch(/^Plugin tiny: embed /);
    },
  );

  it("names a collection per plugin and dimension, apart from the deployment's", () => {
    expect(collectionNameFor(pluginEmbedderSpace("tiny-embedder", 64))).toBe(
      "chunks__plugin-tiny-embedder-d64",
    );
    expect(pluginEmbedderSpace("a", 64)).not.toBe(pluginEmbedderSpace("a", 128));
  });

  it("finds a knowledge base's points where its embedder put them", async () => {
    const deployment = { name: "deployment" } as unknown as VectorIndex;
    const opened: [string, number][] = [];
    const collections = {
      open: async (id: string, d: number) => {
        opened.push([id, d]);
        return { name: id } as unknown as VectorIndex;
      },
    };
    const stores = { vectors: deployment, collections };
    expect(await vectorsOfKb(stores, { embedder: null, embedderDimension: null })).toBe(deployment);
    expect(await vectorsOfKb(stores, { embedder: "plugin:x", embedderDimension: null })).toBeNull();
    expect(await vectorsOfKb(stores, { embedder: "plugin:x", embedderDimension: 8 })).toEqual({
      name: "plugin-x-d8",
    });
    expect(opened).toEqual([["plugin-x-d8", 8]]);
  });
});

describe("searching knowledge bases of several embedders", () => {
  const hit = (id: string, score: number): Hit => ({ id, score, payload: { kb_id: "kb" } }) as unknown as Hit;

  it("groups knowledge bases by embedder and recorded dimension", () => {
    const kb = (id: string, embedder: string | null, embedderDimension: number | null) =>
      ({ id, embedder, embedderDimension }) as KbRow;
    const groups = groupByEmbedder([
      kb("a", null, null),
      kb("b", "plugin:p", 64),
      kb("c", null, null),
      kb("d", "plugin:p", 64),
      kb("e", "plugin:p", 32),
    ]);
    expect(groups).toEqual([
      { pluginId: null, dimension: null, kbIds: ["a", "c"] },
      { pluginId: "p", dimension: 64, kbIds: ["b", "d"] },
      { pluginId: "p", dimension: 32, kbIds: ["e"] },
    ]);
  });

  it("keeps one group's ranking and scores as they are", () => {
    const list = [hit("x", 0.9), hit("y", 0.5), hit("z", 0.1)];
    expect(fuseRanks([[], list], 2)).toEqual(list.slice(0, 2));
  });

  it("fuses several groups by reciprocal rank, not by their incomparable scores", () => {
    const fused = fuseRanks(
      [
        [hit("a1", 0.99), hit("a2", 0.98), hit("a3", 0.97)],
        [hit("b1", 0.02), hit("b2", 0.01)],
      ],
      4,
    );
    expect(fused.map((h) => h.id)).toEqual(["a1", "b1", "a2", "b2"]);
    expect(fused[0]!.score).toBeCloseTo(1 / (GROUP_RRF_K + 1));
    expect(fused[3]!.score).toBeCloseTo(1 / (GROUP_RRF_K + 2));
  });
});
