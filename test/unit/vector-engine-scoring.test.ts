import { describe, expect, it } from "vitest";
import { Collection } from "../../src/vector/engine/collection.js";
import { compileFilter, pinnedTenants } from "../../src/vector/engine/filter.js";
import type { StoredPoint } from "../../src/vector/engine/partition.js";
import { runQuery } from "../../src/vector/engine/query.js";
import { idf, normalizeInPlace, rrfFuse, rrfPositionScore, TopK } from "../../src/vector/engine/scoring.js";
import { parseLayout, parsePointVectors } from "../../src/vector/engine/vectors.js";

function collection(distance: "Cosine" | "Dot" = "Cosine"): Collection {
  const body = { vectors: { dense: { size: 2, distance } }, sparse_vectors: { sparse: { modifier: "idf" } } };
  const col = new Collection("t", parseLayout(body), {});
  col.createIndex("tenant_id", { type: "keyword", is_tenant: true });
  return col;
}

function point(
  col: Collection,
  id: number,
  vector: Record<string, unknown>,
  payload: Record<string, unknown>,
) {
  const { dense, sparse } = parsePointVectors(vector, col.layout);
  return { id, version: 1, payload, dense, sparse } satisfies StoredPoint;
}

const ids = (ranked: { ref: { part: { ids: unknown[] }; slot: number } }[]) =>
  ranked.map((r) => r.ref.part.ids[r.ref.slot]);

describe("engine scoring", () => {
  it("normalizes for cosine and leaves zero vectors alone", () => {
    expect(Array.from(normalizeInPlace(new Float32Array([3, 4])))).toEqual([
      Math.fround(0.6),
      Math.fround(0.8),
    ]);
    expect(Array.from(normalizeInPlace(new Float32Array([0, 0])))).toEqual([0, 0]);
  });

  it("computes cosine scores of stored points (query normalized too)", () => {
    const col = collection();
    col.upsert([point(col, 1, { dense: [3, 4] }, {}), point(col, 2, { dense: [1, 0] }, {})]);
    const ranked = runQuery(col, { query: [2, 0], using: "dense" }, undefined, true);
    expect(ids(ranked)).toEqual([2, 1]);
    expect(ranked[0]!.score).toBeCloseTo(1, 6);
    expect(ranked[1]!.score).toBeCloseTo(0.6, 6);
  });

  it("uses raw dot products for Dot distance", () => {
    const col = collection("Dot");
    col.upsert([point(col, 1, { dense: [3, 4] }, {})]);
    const [hit] = runQuery(col, { query: [2, 0.5], using: "dense" }, undefined, true);
    expect(hit!.score).toBeCloseTo(3 * 2 + 4 * 0.5, 5);
  });

  it("applies Qdrant's idf formula to sparse query weights", () => {
    expect(idf(10, 1)).toBeCloseTo(Math.log((10 - 1 + 0.5) / 1.5 + 1), 12);
    const col = collection();
    // term 7 appears in 1 of 3 points, term 9 in all 3.
    col.upsert([
      point(col, 1, { sparse: { indices: [7, 9], values: [2, 1] } }, {}),
      point(col, 2, { sparse: { indices: [9], values: [1] } }, {}),
      point(col, 3, { sparse: { indices: [9], values: [3] } }, {}),
    ]);
    const ranked = runQuery(
      col,
      { query: { indices: [7, 9], values: [1, 1] }, using: "sparse" },
      undefined,
      true,
    );
    const idf7 = Math.log((3 - 1 + 0.5) / 1.5 + 1);
    const idf9 = Math.log((3 - 3 + 0.5) / 3.5 + 1);
    expect(ids(ranked)).toEqual([1, 3, 2]);
    expect(ranked[0]!.score).toBeCloseTo(2 * idf7 + 1 * idf9, 5);
    expect(ranked[1]!.score).toBeCloseTo(3 * idf9, 5);
  });

  it("scores sparse queries identically through the inverted index and the unindexed tail", () => {
    const col = collection();
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const vecs = Array.from({ length: 900 }, () => {
      const idx = [...new Set(Array.from({ length: 8 }, () => Math.floor(rnd() * 40)))].sort((a, b) => a - b);
      return { indices: idx, values: idx.map(() => Math.round(rnd() * 100) / 10) };
    });
    col.upsert(vecs.map((v, i) => point(col, i, { sparse: v }, { tenant_id: "a" })));
    const q = { indices: [3, 17, 25], values: [1, 0.5, 2] };
    const expectedFor = (all: { indices: number[]; values: number[] }[]) => {
      const df = (t: number) => all.filter((v) => v.indices.includes(t)).length;
      return all
        .map((v) => {
          let s = 0;
          let hit = false;
          q.indices.forEach((t, k) => {
            const j = v.indices.indexOf(t);
            if (j >= 0) {
              hit = true;
              s += q.values[k]! * idf(all.length, df(t)) * v.values[j]!;
            }
          });
          return { s, hit };
        })
        .filter((x) => x.hit)
        .sort((a, b) => b.s - a.s);
    };
    const run = () => runQuery(col, { query: q, using: "sparse", limit: 20 }, undefined, true);
    const first = run(); // builds the index lazily
    for (const [k, r] of first.entries()) expect(r.score).toBeCloseTo(expectedFor(vecs)[k]!.s, 3);
    const extra = { indices: [25], values: [50] };
    col.upsert([point(col, 5000, { sparse: extra }, { tenant_id: "a" })]);
    const second = run(); // indexed points + one unindexed tail point, which ranks first
    expect(ids(second)[0]).toBe(5000);
    const want = expectedFor([...vecs, extra]);
    for (const [k, r] of second.entries()) expect(r.score).toBeCloseTo(want[k]!.s, 3);
  });

  it("fuses with Qdrant's RRF: 1 / (position + k), k = 2 by default", () => {
    expect(rrfPositionScore(0, 2)).toBe(1 / 2);
    expect(rrfPositionScore(2, 60)).toBe(1 / 62);
    const fused = rrfFuse([
      ["a", "b", "c"],
      ["c", "a"],
    ]);
    expect(fused).toEqual([
      ["a", 1 / 2 + 1 / 3],
      ["c", 1 / 4 + 1 / 2],
      ["b", 1 / 3],
    ]);
  });

  it("runs hybrid prefetch + rrf with the root filter pushed into the prefetches", () => {
    const col = collection();
    col.upsert([
      point(col, 1, { dense: [1, 0], sparse: { indices: [1], values: [1] } }, { tenant_id: "a" }),
      point(col, 2, { dense: [0.9, 0.1], sparse: { indices: [1], values: [5] } }, { tenant_id: "b" }),
      point(col, 3, { dense: [0, 1], sparse: { indices: [1], values: [2] } }, { tenant_id: "a" }),
    ]);
    const ranked = runQuery(
      col,
      {
        prefetch: [
          { query: [1, 0], using: "dense", limit: 10 },
          { query: { indices: [1], values: [1] }, using: "sparse", limit: 10 },
        ],
        query: { fusion: "rrf" },
        filter: { must: [{ key: "tenant_id", match: { value: "a" } }] },
      },
      undefined,
      true,
    );
    // dense: 1, 3 ; sparse: 3, 1 -> both 1/2 + 1/3
    expect(new Set(ids(ranked))).toEqual(new Set([1, 3]));
    expect(ranked[0]!.score).toBeCloseTo(1 / 2 + 1 / 3, 6);
  });

  it("keeps the k best with TopK", () => {
    const top = new TopK<string>(2);
    for (const [item, score] of [
      ["a", 1],
      ["b", 5],
      ["c", 3],
      ["d", 0],
    ] as const)
      top.push(item, score);
    expect(top.sorted()).toEqual([
      { item: "b", score: 5 },
      { item: "c", score: 3 },
    ]);
  });
});

describe("engine filters", () => {
  const doc = {
    tenant_id: "t1",
    kb_id: "kb1",
    tags: ["x", "y"],
    meta: { year: 2020, lang: "en", draft: false },
    none: null,
  };

  it.each([
    [{ must: [{ key: "meta.year", match: { value: 2020 } }] }, true],
    [{ must: [{ key: "meta.year", range: { gt: 2020 } }] }, false],
    [{ must: [{ key: "meta.year", range: { gte: 2019, lt: 2021 } }] }, true],
    [{ must: [{ key: "meta.lang", match: { any: ["de", "en"] } }] }, true],
    [{ must: [{ key: "meta.lang", match: { except: ["en"] } }] }, false],
    [{ must: [{ key: "meta.missing", match: { except: ["en"] } }] }, false],
    [{ must: [{ key: "tags", match: { value: "y" } }] }, true],
    [{ must_not: [{ key: "meta.draft", match: { value: false } }] }, false],
    [
      {
        should: [
          { key: "kb_id", match: { value: "no" } },
          { key: "kb_id", match: { value: "kb1" } },
        ],
      },
      true,
    ],
    [{ should: [{ key: "kb_id", match: { value: "no" } }] }, false],
    [{ must: [{ should: [{ key: "meta.year", range: { lt: 2000 } }] }] }, false],
    [{ must: [{ is_empty: { key: "none" } }, { is_empty: { key: "nope" } }] }, true],
    [{ must: [{ is_empty: { key: "tags" } }] }, false],
    [{ must: [{ has_id: [5, 7] }] }, true],
    [{ must: [{ has_id: [8] }] }, false],
    [
      {
        min_should: {
          conditions: [{ key: "kb_id", match: { value: "kb1" } }, { has_id: [1] }],
          min_count: 2,
        },
      },
      false,
    ],
  ])("%j -> %s", (filter, expected) => {
    expect(compileFilter(filter)(doc, 7)).toBe(expected);
  });

  it("rejects malformed filters with a Qdrant-style 400", () => {
    expect(() => compileFilter({ musts: [] })).toThrow(/Wrong input: unknown filter clause `musts`/);
    expect(() => compileFilter({ must: [{ key: "a", match: { value: 1.5 } }] })).toThrow(
      /string, integer or boolean/,
    );
    expect(() => compileFilter({ must: [{ key: "a" }] })).toThrow(/has no match or range/);
  });

  it("pins a search to the tenants named by a top-level must", () => {
    const f = {
      must: [
        { key: "tenant_id", match: { value: "t1" } },
        { key: "kb_id", match: { any: ["k"] } },
      ],
    };
    expect(pinnedTenants(f, "tenant_id")).toEqual(["t1"]);
    expect(pinnedTenants({ must: [f, { key: "x", match: { value: 1 } }] }, "tenant_id")).toEqual(["t1"]);
    expect(pinnedTenants({ should: f.must }, "tenant_id")).toBeNull();
  });
});
