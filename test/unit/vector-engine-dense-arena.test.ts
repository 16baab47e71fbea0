import { describe, expect, it } from "vitest";
import { Collection } from "../../src/vector/engine/collection.js";
import { BLOCK_ROWS, DenseArena } from "../../src/vector/engine/dense-arena.js";
import type { StoredPoint } from "../../src/vector/engine/partition.js";
import { runQuery } from "../../src/vector/engine/query.js";
import { parseLayout } from "../../src/vector/engine/vectors.js";

let seed = 11;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000 - 0.5;
}

function exactDot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe("dense arena", () => {
  // 384 and 16 use the SIMD kernel; 12 (not a multiple of 8) the scalar path.
  for (const dim of [384, 16, 12]) {
    it(`scores whole blocks like an exact dot product (dim ${dim})`, () => {
      const arena = new DenseArena(dim);
      const blocks = [arena.allocBlock(), arena.allocBlock(), arena.allocBlock()];
      const rows: Float32Array[] = [];
      for (const b of blocks) {
        for (let r = 0; r < BLOCK_ROWS; r++) {
          const v = Float32Array.from({ length: dim }, rand);
          rows.push(v);
          arena.view.set(v, arena.offset(b, r)); // the view is re-read: blocks may have grown the buffer
        }
      }
      const q = Float32Array.from({ length: dim }, rand);
      arena.setQuery(q);
      blocks.forEach((b, i) => {
        const scores = arena.scoreBlock(b, BLOCK_ROWS - i);
        expect(scores.length).toBe(BLOCK_ROWS - i);
        for (let r = 0; r < scores.length; r++) {
          expect(scores[r]).toBeCloseTo(exactDot(q, rows[i * BLOCK_ROWS + r]!), 4);
        }
      });
    });
  }

  it("reuses the blocks of dropped partitions and keeps other partitions' vectors intact", () => {
    const col = new Collection("t", parseLayout({ vectors: { size: 16, distance: "Dot" } }), {});
    col.createIndex("tenant_id", { type: "keyword", is_tenant: true });
    const vec = (i: number) => Float32Array.from({ length: 16 }, (_, d) => (d === i % 16 ? 1 : 0) + i / 1e4);
    const points = (tenant: string, from: number, n: number): StoredPoint[] =>
      Array.from({ length: n }, (_, k) => ({
        id: from + k,
        version: 0,
        payload: { tenant_id: tenant },
        dense: new Map([["", vec(from + k)]]),
        sparse: new Map(),
      }));
    col.upsert(points("a", 0, 600));
    col.upsert(points("b", 1000, 600));
    col.delete(Array.from({ length: 600 }, (_, k) => k)); // drops partition a, freeing its blocks
    col.upsert(points("c", 2000, 600)); // takes a's blocks
    const top = (tenant: string, query: number[]) =>
      runQuery(
        col,
        { query, limit: 1, filter: { must: [{ key: "tenant_id", match: { value: tenant } }] } },
        undefined,
        true,
      ).map((r) => r.ref.part.ids[r.ref.slot]);
    const axis = (d: number) => Array.from({ length: 16 }, (_, i) => (i === d ? 1 : 0));
    // Best for axis d: the highest id of the tenant with id % 16 === d (score 1 + id / 1e4).
    const best = (from: number, d: number) =>
      Math.max(...[...Array(600).keys()].map((k) => from + k).filter((id) => id % 16 === d));
    for (const d of [0, 5, 15]) {
      expect(top("b", axis(d))).toEqual([best(1000, d)]);
      expect(top("c", axis(d))).toEqual([best(2000, d)]);
    }
    // Every stored vector reads back as written.
    for (const id of [1000, 1599, 2000, 2599]) {
      const ref = col.get(id)!;
      expect(Array.from(ref.part.denseAt("", ref.slot)!)).toEqual(Array.from(vec(id)));
    }
    expect(top("a", axis(0))).toEqual([]);
  });
});
