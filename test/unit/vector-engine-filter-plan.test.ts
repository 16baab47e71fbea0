import { describe, expect, it } from "vitest";
import { Collection } from "../../src/vector/engine/collection.js";
import { compileFilter } from "../../src/vector/engine/filter.js";
import { planFilter } from "../../src/vector/engine/filter-plan.js";
import type { StoredPoint } from "../../src/vector/engine/partition.js";
import { parseLayout } from "../../src/vector/engine/vectors.js";

// Deterministic PRNG so a failure reproduces.
let seed = 7;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

const KBS = ["kb_a", "kb_b", "kb_c"];
const VERSIONS = ["v1", "v2", "v3", "v4"];

function payload(i: number): Record<string, unknown> {
  const p: Record<string, unknown> = {
    tenant_id: i % 7 === 0 ? "t2" : "t1",
    kb_id: i % 11 === 0 ? [pick(KBS), pick(KBS)] : pick(KBS),
    doc_version: pick(VERSIONS),
    year: 2000 + (i % 5),
    meta: { lang: pick(["en", "de"]) },
  };
  if (i % 13 === 0) delete p.doc_version;
  if (i % 17 === 0) p.kb_id = 3; // a number in a keyword-indexed field still matches by value
  return p;
}

function collection(points: number, indexFirst: boolean): Collection {
  const col = new Collection("t", parseLayout({ vectors: { size: 8, distance: "Dot" } }), {});
  const index = () => {
    col.createIndex("tenant_id", { type: "keyword", is_tenant: true });
    col.createIndex("kb_id", "keyword");
    col.createIndex("doc_version", { type: "keyword" });
    col.createIndex("year", "integer");
  };
  if (indexFirst) index();
  const pts: StoredPoint[] = [];
  for (let i = 0; i < points; i++) {
    const dense = new Map([["", Float32Array.from({ length: 8 }, () => rand())]]);
    pts.push({ id: i, version: 0, payload: payload(i), dense, sparse: new Map() });
  }
  col.upsert(pts);
  if (!indexFirst) index();
  col.delete([1, 2, 3, 50, 51]);
  return col;
}

function condition(): Record<string, unknown> {
  switch (Math.floor(rand() * 6)) {
    case 0:
      return { key: "kb_id", match: { value: pick(KBS) } };
    case 1:
      return { key: "kb_id", match: { any: [pick(KBS), pick(KBS), "kb_missing"] } };
    case 2:
      return { key: "doc_version", match: { any: [pick(VERSIONS)] } };
    case 3:
      return { key: "year", range: { gte: 2001, lt: 2004 } };
    case 4:
      return { key: "meta.lang", match: { value: "en" } };
    default:
      return { key: "kb_id", match: { value: 3 } };
  }
}

function randomFilter(depth = 0): Record<string, unknown> {
  const list = () => Array.from({ length: Math.floor(rand() * 3) }, () => clause(depth));
  const f: Record<string, unknown> = { must: list(), must_not: list() };
  if (rand() < 0.3) f.should = [clause(depth), clause(depth)];
  if (rand() < 0.5) (f.must as unknown[]).unshift({ key: "tenant_id", match: { value: "t1" } });
  return f;
}

function clause(depth: number): Record<string, unknown> {
  return depth < 2 && rand() < 0.25 ? randomFilter(depth + 1) : condition();
}

const matchingByPredicate = (col: Collection, filter: unknown) => {
  const pred = compileFilter(filter);
  const out: unknown[] = [];
  for (const part of col.partitions.values()) {
    for (let slot = 0; slot < part.size; slot++) {
      if (part.alive[slot] && pred(part.payloads[slot]!, part.ids[slot]!)) out.push(part.ids[slot]);
    }
  }
  return out.sort((a, b) => (a as number) - (b as number));
};

describe("engine filter planning (payload indexes)", () => {
  it("matches exactly the points the compiled predicate accepts, for random filters", () => {
    for (const indexFirst of [true, false]) {
      const col = collection(400, indexFirst);
      for (let i = 0; i < 300; i++) {
        const filter = randomFilter();
        expect(col.matchingIds(filter), JSON.stringify(filter)).toEqual(matchingByPredicate(col, filter));
        expect(col.count(filter)).toBe(matchingByPredicate(col, filter).length);
      }
    }
  });

  it("answers indexed match conditions from posting lists and leaves the rest to a predicate", () => {
    const indexed = (f: string) => f === "kb_id" || f === "tenant_id";
    const rootAndPrefetch = {
      must: [
        {
          must: [
            { key: "tenant_id", match: { value: "t1" } },
            { key: "kb_id", match: { any: ["a"] } },
          ],
        },
        {
          must: [
            { key: "tenant_id", match: { value: "t1" } },
            { key: "kb_id", match: { any: ["a"] } },
          ],
        },
      ],
      must_not: [{ key: "kb_id", match: { value: "b" } }],
    };
    const plan = planFilter(rootAndPrefetch, indexed);
    expect(plan.positive).toHaveLength(2); // the repeated root filter is planned once
    expect(plan.negative).toEqual([{ key: "kb_id", values: ["b"] }]);
    expect(plan.residual).toBeNull();

    const mixed = planFilter(
      {
        must: [
          { key: "kb_id", match: { value: "a" } },
          { key: "year", range: { gt: 1 } },
        ],
      },
      indexed,
    );
    expect(mixed.positive).toHaveLength(1);
    expect(mixed.residual?.({ year: 2 }, 1)).toBe(true);
    expect(mixed.residual?.({ year: 0 }, 1)).toBe(false);
  });

  it("keeps a nested filter with should as a predicate (it is not a conjunction)", () => {
    const plan = planFilter(
      {
        must: [
          {
            should: [
              { key: "kb_id", match: { value: "a" } },
              { key: "kb_id", match: { value: "b" } },
            ],
          },
        ],
      },
      () => true,
    );
    expect(plan.positive).toHaveLength(0);
    expect(plan.residual?.({ kb_id: "b" }, 1)).toBe(true);
    expect(plan.residual?.({ kb_id: "c" }, 1)).toBe(false);
  });
});
