import { describe, expect, it } from "vitest";
import { metaFilterSchema, scopeFilter, selectorFilter } from "../../src/vector/filter.js";
import { chunkPointId } from "../../src/vector/point-id.js";
import { collectionNameFor } from "../../src/vector/qdrant-index.js";
import { isTransient } from "../../src/vector/retry.js";

describe("vector adapter pieces", () => {
  it("derives stable v5-style UUIDs per tenant, doc version and chunk", () => {
    const a = chunkPointId("t1", "ver_1", 0);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chunkPointId("t1", "ver_1", 0)).toBe(a);
    expect(chunkPointId("t1", "ver_1", 1)).not.toBe(a);
    expect(chunkPointId("t2", "ver_1", 0)).not.toBe(a);
  });

  it("names collections per embedder", () => {
    expect(collectionNameFor("offline-hash-v1-384")).toBe("chunks__offline-hash-v1-384");
    const odd = collectionNameFor("openai/text-embedding-3-small");
    expect(odd).toMatch(/^chunks__openai-text-embedding-3-small-[0-9a-f]{8}$/);
    expect(odd).not.toBe(collectionNameFor("openai-text-embedding-3-small"));
  });

  it("always puts the tenant first and maps metadata under meta.", () => {
    const f = scopeFilter("t1", {
      kbIds: ["kb1", "kb2"],
      docVersions: ["v1"],
      meta: {
        must: [{ key: "year", range: { gte: 2020 } }],
        must_not: [{ key: "lang", match: { value: "de" } }],
      },
    });
    expect(f.must[0]).toEqual({ key: "tenant_id", match: { value: "t1" } });
    expect(f.must).toContainEqual({ key: "kb_id", match: { any: ["kb1", "kb2"] } });
    expect(f.must).toContainEqual({ key: "meta.year", range: { gte: 2020 } });
    expect(f.must_not).toEqual([{ key: "meta.lang", match: { value: "de" } }]);
    const hidden = scopeFilter("t1", { kbIds: ["kb1"], excludeDocVersions: ["v0"], meta: { must_not: [] } });
    expect(hidden.must_not).toEqual([{ key: "doc_version", match: { any: ["v0"] } }]);
    expect(selectorFilter("t1", {}).must).toEqual([{ key: "tenant_id", match: { value: "t1" } }]);
  });

  it("validates user metadata filters", () => {
    expect(metaFilterSchema.safeParse({ must: [{ key: "year", match: { value: 2020 } }] }).success).toBe(
      true,
    );
    expect(metaFilterSchema.safeParse({ must: [{ key: "year", match: { value: 20.5 } }] }).success).toBe(
      false,
    );
    expect(metaFilterSchema.safeParse({ must: [{ key: "bad key!", match: { value: "x" } }] }).success).toBe(
      false,
    );
    expect(metaFilterSchema.safeParse({ must: [{ key: "y", range: {} }] }).success).toBe(false);
    expect(metaFilterSchema.safeParse({ filter: [] }).success).toBe(false);
    const many = Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, match: { value: "v" } }));
    expect(metaFilterSchema.safeParse({ must: many }).success).toBe(false);
  });

  it("classifies transient failures", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    expect(isTransient(refused)).toBe(true);
    expect(isTransient({ status: 503 })).toBe(true);
    expect(isTransient({ status: 400 })).toBe(false);
    expect(isTransient(new Error("boom"))).toBe(false);
  });
});
