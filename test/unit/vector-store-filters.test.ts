import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/services/errors.js";
import { toMetaFilter } from "../../src/services/vector-stores/filters.js";
import { rewriteQuery } from "../../src/services/vector-stores/search.js";

describe("OpenAI attribute filters → metadata filters", () => {
  it("maps each comparison", () => {
    expect(toMetaFilter({ type: "eq", key: "kind", value: "paper" })).toEqual({
      must: [{ key: "kind", match: { value: "paper" } }],
    });
    expect(toMetaFilter({ type: "ne", key: "kind", value: "paper" })).toEqual({
      must_not: [{ key: "kind", match: { value: "paper" } }],
    });
    expect(toMetaFilter({ type: "gte", key: "year", value: 2010 })).toEqual({
      must: [{ key: "year", range: { gte: 2010 } }],
    });
    expect(toMetaFilter({ type: "in", key: "team", value: ["a", "b"] })).toEqual({
      must: [{ key: "team", match: { any: ["a", "b"] } }],
    });
    expect(toMetaFilter({ type: "nin", key: "team", value: ["a"] })).toEqual({
      must_not: [{ key: "team", match: { any: ["a"] } }],
    });
    // Qdrant matches integers exactly; a decimal equality is a closed range.
    expect(toMetaFilter({ type: "eq", key: "score", value: 0.5 })).toEqual({
      must: [{ key: "score", range: { gte: 0.5, lte: 0.5 } }],
    });
  });

  it("maps and / or, with one or inside an and", () => {
    expect(
      toMetaFilter({
        type: "and",
        filters: [
          { type: "lt", key: "year", value: 2020 },
          { type: "ne", key: "kind", value: "draft" },
          {
            type: "or",
            filters: [
              { type: "eq", key: "team", value: "a" },
              { type: "eq", key: "team", value: "b" },
            ],
          },
        ],
      }),
    ).toEqual({
      must: [{ key: "year", range: { lt: 2020 } }],
      must_not: [{ key: "kind", match: { value: "draft" } }],
      should: [
        { key: "team", match: { value: "a" } },
        { key: "team", match: { value: "b" } },
      ],
    });
  });

  it("refuses what one level of must/should/must_not cannot express, naming the field", () => {
    const deep = () =>
      toMetaFilter({ type: "or", filters: [{ type: "and", filters: [{ type: "eq", key: "a", value: 1 }] }] });
    expect(deep).toThrow(ValidationError);
    try {
      deep();
    } catch (e) {
      expect((e as ValidationError).details.fields?.[0]?.field).toBe("filters.filters.0");
    }
    expect(() => toMetaFilter({ type: "or", filters: [{ type: "ne", key: "a", value: 1 }] })).toThrow(
      /ne and nin/,
    );
    expect(() => toMetaFilter({ type: "gt", key: "a", value: "x" })).toThrow(/compare numbers/);
  });

  it("rewrite_query keeps the content words", () => {
    expect(rewriteQuery("What is a trace tree?")).toBe("trace tree");
    expect(rewriteQuery("what?")).toBe("what?");
  });
});
