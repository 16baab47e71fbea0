import { clauseList, compileFilter, isNestedFilter, type Predicate } from "./filter.js";
import type { Partition, SlotSet } from "./partition.js";

interface IndexedMatch {
  key: string;
  values: unknown[];
}

/** A filter split into what posting lists answer exactly and what a per-point predicate must check. */
export interface FilterPlan {
  positive: IndexedMatch[];
  negative: IndexedMatch[];
  residual: Predicate | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `{key, match: {value}}` or `{key, match: {any}}` on an indexed field, and nothing else: exactly the
 * union of that field's posting lists for the values (the compiled predicate's semantics: some value of
 * the field equals one of them). Anything more (range, is_empty, except) stays a predicate.
 */
function indexedMatch(cond: unknown, indexed: (field: string) => boolean): IndexedMatch | null {
  if (!isObject(cond) || isNestedFilter(cond)) return null;
  if (typeof cond.key !== "string" || !indexed(cond.key)) return null;
  for (const [k, v] of Object.entries(cond)) {
    if (k !== "key" && k !== "match" && v !== undefined && v !== null) return null;
  }
  const m = cond.match;
  if (!isObject(m)) return null;
  if ("value" in m) return { key: cond.key, values: [m.value] };
  if ("any" in m && Array.isArray(m.any)) return { key: cond.key, values: m.any };
  return null;
}

/** Nested filters with only must/must_not are conjunctions and can be merged into their parent. */
function isConjunction(f: Record<string, unknown>): boolean {
  return clauseList(f.should, "should").length === 0 && (f.min_should === undefined || f.min_should === null);
}

/** Plans an already validated filter (compileFilter has accepted it). */
export function planFilter(raw: unknown, indexed: (field: string) => boolean): FilterPlan {
  const plan: FilterPlan = { positive: [], negative: [], residual: null };
  if (!isObject(raw)) return plan;
  const must: unknown[] = [];
  const mustNot: unknown[] = [];
  // A prefetch's filter is the root filter ANDed with its own, usually the same one: plan each once.
  const seen = new Set<string>();
  const add = (list: IndexedMatch[], m: IndexedMatch, sign: string) => {
    const id = sign + JSON.stringify([m.key, m.values]);
    if (!seen.has(id)) {
      seen.add(id);
      list.push(m);
    }
  };
  const visit = (f: Record<string, unknown>) => {
    for (const c of clauseList(f.must, "must")) {
      const m = indexedMatch(c, indexed);
      if (m) add(plan.positive, m, "+");
      else if (isObject(c) && isNestedFilter(c) && isConjunction(c)) visit(c);
      else must.push(c);
    }
    for (const c of clauseList(f.must_not, "must_not")) {
      const m = indexedMatch(c, indexed);
      if (m) add(plan.negative, m, "-");
      else mustNot.push(c);
    }
  };
  visit(raw);
  const rest = { must, must_not: mustNot, should: raw.should, min_should: raw.min_should };
  if (must.length + mustNot.length > 0 || !isConjunction(raw)) plan.residual = compileFilter(rest);
  return plan;
}

/** Evaluates a plan on one partition: posting lists into a mask, the residual as a per-slot test. */
export function slotsFor(plan: FilterPlan, part: Partition): SlotSet {
  const size = part.size;
  let mask: Uint8Array | null = null;
  let count = size;
  for (const cond of plan.positive) {
    const lists: number[][] = [];
    for (const v of cond.values) {
      const list = part.postings(cond.key, v);
      if (list) lists.push(list);
    }
    // One value held by every slot: the condition removes nothing (typical for a tenant or lone kb).
    if (lists.length === 1 && lists[0]!.length === size) continue;
    const next = new Uint8Array(size);
    count = 0;
    for (const list of lists) {
      for (const slot of list) {
        if ((mask === null || mask[slot] === 1) && next[slot] === 0) {
          next[slot] = 1;
          count++;
        }
      }
    }
    if (count === 0) return { mask: next, test: null, count: 0 };
    mask = next;
  }
  for (const cond of plan.negative) {
    for (const v of cond.values) {
      const list = part.postings(cond.key, v);
      if (!list) continue;
      mask ??= new Uint8Array(size).fill(1);
      for (const slot of list) {
        if (mask[slot] === 1) {
          mask[slot] = 0;
          count--;
        }
      }
    }
  }
  const residual = plan.residual;
  const test = residual ? (slot: number) => residual(part.payloads[slot]!, part.ids[slot]!) : null;
  return { mask, test, count };
}

export const EVERY_SLOT = (part: Partition): SlotSet => ({ mask: null, test: null, count: part.size });
