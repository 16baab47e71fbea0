/**
 * OpenAI's attribute filters (comparison: eq, ne, gt, gte, lt, lte, in, nin; compound: and, or) as the
 * metadata filter retrieval takes, which becomes a Qdrant filter in the vector adapter. That filter
 * is one level deep (must / should / must_not), so a compound may hold comparisons, and an `and` may
 * also hold one `or`; deeper nesting is refused by name rather than approximated.
 */

import type { MetaCondition, MetaFilter, MetaValue } from "../../vector/types.js";
import { type ServiceError, ValidationError } from "../errors.js";

export type ComparisonFilter = {
  type: "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "in" | "nin";
  key: string;
  value: MetaValue | MetaValue[];
};
export type CompoundFilter = { type: "and" | "or"; filters: AttributeFilter[] };
export type AttributeFilter = ComparisonFilter | CompoundFilter;

function invalid(field: string, message: string): ServiceError {
  return new ValidationError(`filters: ${message}`, [{ field, message }]);
}

/** Qdrant matches strings, integers and booleans exactly; a decimal equality becomes a closed range. */
function equals(key: string, value: MetaValue): MetaCondition {
  if (typeof value === "number" && !Number.isInteger(value))
    return { key, range: { gte: value, lte: value } };
  return { key, match: { value } };
}

function number(field: string, v: unknown): number {
  if (typeof v !== "number") throw invalid(`${field}.value`, "gt, gte, lt and lte compare numbers");
  return v;
}

function list(field: string, v: unknown): MetaValue[] {
  if (!Array.isArray(v) || v.length === 0)
    throw invalid(`${field}.value`, "in and nin take a non-empty array");
  return v as MetaValue[];
}

/** One comparison as a positive condition plus whether it belongs in must_not. */
function comparison(f: ComparisonFilter, field: string): { cond: MetaCondition; negate: boolean } {
  const { key } = f;
  switch (f.type) {
    case "eq":
      return { cond: equals(key, f.value as MetaValue), negate: false };
    case "ne":
      return { cond: equals(key, f.value as MetaValue), negate: true };
    case "gt":
      return { cond: { key, range: { gt: number(field, f.value) } }, negate: false };
    case "gte":
      return { cond: { key, range: { gte: number(field, f.value) } }, negate: false };
    case "lt":
      return { cond: { key, range: { lt: number(field, f.value) } }, negate: false };
    case "lte":
      return { cond: { key, range: { lte: number(field, f.value) } }, negate: false };
    case "in":
      return { cond: { key, match: { any: list(field, f.value) } }, negate: false };
    case "nin":
      return { cond: { key, match: { any: list(field, f.value) } }, negate: true };
  }
}

const isCompound = (f: AttributeFilter): f is CompoundFilter => f.type === "and" || f.type === "or";

export function toMetaFilter(f: AttributeFilter, field = "filters"): MetaFilter {
  if (!isCompound(f)) {
    const { cond, negate } = comparison(f, field);
    return negate ? { must_not: [cond] } : { must: [cond] };
  }
  const out: MetaFilter = {};
  const push = (k: keyof MetaFilter, c: MetaCondition) => {
    out[k] = [...(out[k] ?? []), c];
  };
  let nestedOr = false;
  f.filters.forEach((child, i) => {
    const at = `${field}.filters.${i}`;
    if (isCompound(child)) {
      if (f.type !== "and" || child.type !== "or" || nestedOr) {
        throw invalid(at, "nesting is limited to one `or` of comparisons inside an `and`");
      }
      nestedOr = true;
      child.filters.forEach((g, j) => {
        if (isCompound(g))
          throw invalid(`${at}.filters.${j}`, "an `or` inside an `and` holds comparisons only");
        const { cond, negate } = comparison(g, `${at}.filters.${j}`);
        if (negate) throw invalid(`${at}.filters.${j}`, "ne and nin inside an `or` are not supported");
        push("should", cond);
      });
      return;
    }
    const { cond, negate } = comparison(child, at);
    if (f.type === "and") push(negate ? "must_not" : "must", cond);
    else if (negate) throw invalid(at, "ne and nin inside an `or` are not supported; use an `and`");
    else push("should", cond);
  });
  return out;
}
