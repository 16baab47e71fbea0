import { unsupported, wrongInput } from "./errors.js";
import { isEmptyAt, type Payload, pathGetter } from "./payload.js";
import { type PointId, parsePointId } from "./point-id.js";

/** A compiled Qdrant filter: true when the point (payload + id) satisfies it. */
export type Predicate = (payload: Payload, id: PointId) => boolean;

const ALWAYS: Predicate = () => true;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function clauseList(raw: unknown, clause: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  if (isObject(raw)) return [raw];
  throw wrongInput(`filter.${clause} must be a condition or a list of conditions`);
}

/** Compiles a filter object (or null/undefined for "no filter"); throws a 400 on a malformed one. */
export function compileFilter(raw: unknown): Predicate {
  if (raw === undefined || raw === null) return ALWAYS;
  if (!isObject(raw)) throw wrongInput("filter must be an object with must/should/must_not");
  for (const key of Object.keys(raw)) {
    if (!["must", "should", "must_not", "min_should"].includes(key)) {
      throw wrongInput(`unknown filter clause \`${key}\`; expected must, should, must_not or min_should`);
    }
  }
  const must = clauseList(raw.must, "must").map(compileCondition);
  const should = clauseList(raw.should, "should").map(compileCondition);
  const mustNot = clauseList(raw.must_not, "must_not").map(compileCondition);
  let minShould: { conds: Predicate[]; min: number } | null = null;
  if (raw.min_should !== undefined && raw.min_should !== null) {
    const ms = raw.min_should as { conditions?: unknown; min_count?: unknown };
    if (!Array.isArray(ms.conditions) || typeof ms.min_count !== "number") {
      throw wrongInput("filter.min_should needs conditions (list) and min_count (number)");
    }
    minShould = { conds: ms.conditions.map(compileCondition), min: ms.min_count };
  }
  if (must.length + should.length + mustNot.length === 0 && !minShould) return ALWAYS;
  return (payload, id) => {
    for (const c of must) if (!c(payload, id)) return false;
    for (const c of mustNot) if (c(payload, id)) return false;
    if (should.length > 0 && !should.some((c) => c(payload, id))) return false;
    if (minShould) {
      let hits = 0;
      for (const c of minShould.conds) if (c(payload, id)) hits++;
      if (hits < minShould.min) return false;
    }
    return true;
  };
}

/** A condition that is itself a filter (Qdrant nests them in must/should/must_not). */
export function isNestedFilter(raw: Record<string, unknown>): boolean {
  return "must" in raw || "should" in raw || "must_not" in raw || "min_should" in raw;
}

function compileCondition(raw: unknown): Predicate {
  if (!isObject(raw)) throw wrongInput(`filter condition must be an object, got ${JSON.stringify(raw)}`);
  if (isNestedFilter(raw)) return compileFilter(raw);
  if ("has_id" in raw) {
    if (!Array.isArray(raw.has_id)) throw wrongInput("has_id must be a list of point ids");
    const ids = new Set<PointId>(raw.has_id.map(parsePointId));
    return (_payload, id) => ids.has(id);
  }
  if ("is_empty" in raw) {
    const key = fieldKey(raw.is_empty, "is_empty");
    return (payload) => isEmptyAt(payload, key);
  }
  if ("is_null" in raw) {
    const get = pathGetter(fieldKey(raw.is_null, "is_null"));
    return (payload) => get(payload).some((v) => v === null);
  }
  if ("nested" in raw) throw unsupported("the `nested` filter condition");
  if ("has_vector" in raw) throw unsupported("the `has_vector` filter condition");
  if (typeof raw.key !== "string" || raw.key.length === 0) {
    throw wrongInput(`filter condition needs a \`key\`: ${JSON.stringify(raw).slice(0, 200)}`);
  }
  return compileField(raw.key, raw);
}

function fieldKey(raw: unknown, what: string): string {
  if (isObject(raw) && typeof raw.key === "string") return raw.key;
  throw wrongInput(`${what} condition needs {"key": "<field>"}`);
}

function compileField(key: string, raw: Record<string, unknown>): Predicate {
  const get = pathGetter(key);
  const checks: ((v: unknown) => boolean)[] = [];
  if (raw.match !== undefined && raw.match !== null) checks.push(compileMatch(key, raw.match));
  if (raw.range !== undefined && raw.range !== null) checks.push(compileRange(key, raw.range));
  for (const geo of ["geo_bounding_box", "geo_radius", "geo_polygon", "values_count"]) {
    if (raw[geo] !== undefined && raw[geo] !== null) throw unsupported(`the \`${geo}\` filter condition`);
  }
  if (raw.is_empty === true) return (payload) => isEmptyAt(payload, key);
  if (raw.is_null === true) return (payload) => get(payload).some((v) => v === null);
  if (checks.length === 0) throw wrongInput(`filter condition on \`${key}\` has no match or range`);
  // Qdrant: a field condition holds when any of the field's values satisfies it. Plain keys (no dots)
  // are read directly: this runs once per candidate point, so it must not allocate.
  const anyValue = (values: unknown[], check: (v: unknown) => boolean) => values.some(check);
  if (!key.includes(".") && !key.endsWith("[]")) {
    return (payload) => {
      if (!Object.hasOwn(payload, key)) return false;
      const v = payload[key];
      if (v === undefined) return false;
      for (const check of checks) {
        if (Array.isArray(v) ? !anyValue(v, check) : !check(v)) return false;
      }
      return true;
    };
  }
  return (payload) => {
    const values = get(payload);
    for (const check of checks) if (!anyValue(values, check)) return false;
    return true;
  };
}

type Scalar = string | number | boolean;

function checkVariants(key: string, list: unknown, what: string): Set<Scalar> {
  if (!Array.isArray(list)) throw wrongInput(`match.${what} on \`${key}\` must be a list`);
  const allStrings = list.every((v) => typeof v === "string");
  const allInts = list.every((v) => Number.isInteger(v));
  if (!allStrings && !allInts) {
    throw wrongInput(`match.${what} on \`${key}\` must be a list of strings or a list of integers`);
  }
  return new Set(list as Scalar[]);
}

function compileMatch(key: string, raw: unknown): (v: unknown) => boolean {
  if (!isObject(raw)) throw wrongInput(`match on \`${key}\` must be an object`);
  if ("value" in raw) {
    const want = raw.value;
    const ok = typeof want === "string" || typeof want === "boolean" || Number.isInteger(want);
    if (!ok) throw wrongInput(`match.value on \`${key}\` must be a string, integer or boolean`);
    return (v) => v === want;
  }
  if ("any" in raw) {
    const set = checkVariants(key, raw.any, "any");
    return (v) => (typeof v === "string" || typeof v === "number") && set.has(v);
  }
  if ("except" in raw) {
    const set = checkVariants(key, raw.except, "except");
    // Mirrors Qdrant: a value of another type counts as "not excluded"; null never matches.
    return (v) => v !== null && !((typeof v === "string" || typeof v === "number") && set.has(v));
  }
  if ("text" in raw || "phrase" in raw || "prefix" in raw || "text_any" in raw) {
    throw unsupported("full-text match");
  }
  throw wrongInput(`match on \`${key}\` needs one of value, any, except`);
}

function compileRange(key: string, raw: unknown): (v: unknown) => boolean {
  if (!isObject(raw)) throw wrongInput(`range on \`${key}\` must be an object`);
  const bound = (name: string): number | undefined => {
    const b = raw[name];
    if (b === undefined || b === null) return undefined;
    if (typeof b !== "number") {
      if (typeof b === "string") throw unsupported("datetime range");
      throw wrongInput(`range.${name} on \`${key}\` must be a number`);
    }
    return b;
  };
  const gt = bound("gt");
  const gte = bound("gte");
  const lt = bound("lt");
  const lte = bound("lte");
  return (v) =>
    typeof v === "number" &&
    (gt === undefined || v > gt) &&
    (gte === undefined || v >= gte) &&
    (lt === undefined || v < lt) &&
    (lte === undefined || v <= lte);
}

/** AND of two filters, as Qdrant does when pushing a root filter into prefetches. */
export function andFilters(a: unknown, b: unknown): unknown {
  if (a === undefined || a === null) return b;
  if (b === undefined || b === null) return a;
  return { must: [a, b] };
}

/**
 * The tenant partitions a filter is pinned to: values of a top-level `must` match on the tenant key.
 * Returns null when the filter does not pin the tenant (the search then visits every partition).
 */
export function pinnedTenants(raw: unknown, tenantKey: string | null): string[] | null {
  if (!tenantKey || !isObject(raw)) return null;
  let pinned: string[] | null = null;
  for (const cond of clauseList(raw.must, "must")) {
    if (!isObject(cond)) continue;
    let values: string[] | null = null;
    if (cond.key === tenantKey && isObject(cond.match)) {
      const m = cond.match;
      if (typeof m.value === "string") values = [m.value];
      else if (Array.isArray(m.any) && m.any.every((v) => typeof v === "string")) values = m.any as string[];
    } else if ("must" in cond) {
      values = pinnedTenants(cond, tenantKey);
    }
    if (values) pinned = pinned ? pinned.filter((v) => values.includes(v)) : values;
  }
  return pinned;
}
