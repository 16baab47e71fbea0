import type { Collection } from "./collection.js";
import { EngineError, unsupported, wrongInput } from "./errors.js";
import { andFilters, compileFilter } from "./filter.js";
import type { Ref, SparseVec } from "./partition.js";
import { parsePointId } from "./point-id.js";
import { DEFAULT_RRF_K, idf, rrfFuse, TopK } from "./scoring.js";
import { parseDense, parseSparse } from "./vectors.js";

export interface Ranked {
  ref: Ref;
  score: number;
}

type ParsedQuery =
  | { kind: "none" }
  | { kind: "dense"; using: string; vector: Float32Array }
  | { kind: "sparse"; using: string; vector: SparseVec }
  | { kind: "rrf"; k: number; weights?: number[] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Runs a Query API request (root or prefetch) and returns ranked points, best first. */
export function runQuery(
  col: Collection,
  req: Record<string, unknown>,
  parentFilter: unknown,
  root: boolean,
) {
  if (req.lookup_from !== undefined && req.lookup_from !== null) throw unsupported("lookup_from");
  const filter = andFilters(parentFilter, req.filter);
  compileFilter(req.filter); // validates early so a bad filter is a 400 even when nothing is searched
  const limit = intParam(req.limit, "limit", 10, 1);
  const offset = root ? intParam(req.offset, "offset", 0, 0) : 0;
  const want = limit + offset;
  const query = parseQuery(col, req.query, req.using);
  const prefetches = req.prefetch === undefined || req.prefetch === null ? [] : [req.prefetch].flat();

  let ranked: Ranked[];
  if (prefetches.length > 0) {
    const subs = prefetches.map((p) => {
      if (!isObject(p)) throw wrongInput("each prefetch must be an object");
      return runQuery(col, p, filter, false);
    });
    if (query.kind === "rrf") ranked = fuse(subs, query.k, query.weights);
    else if (query.kind === "none") ranked = dedupe(subs.flat());
    else ranked = rescore(dedupe(subs.flat()), query);
  } else if (query.kind === "rrf") {
    throw wrongInput("cannot apply Fusion without prefetches");
  } else if (query.kind === "none") {
    ranked = col
      .matchingIds(filter)
      .slice(0, want)
      .map((id) => ({ ref: col.get(id)!, score: 0 }));
  } else {
    ranked = search(col, query, filter, want);
  }

  const threshold = req.score_threshold;
  if (threshold !== undefined && threshold !== null) {
    if (typeof threshold !== "number") throw wrongInput("score_threshold must be a number");
    ranked = ranked.filter((r) => r.score >= threshold);
  }
  return ranked.slice(offset, want);
}

function intParam(raw: unknown, name: string, dflt: number, min: number): number {
  if (raw === undefined || raw === null) return dflt;
  if (!Number.isInteger(raw) || (raw as number) < min)
    throw wrongInput(`${name} must be an integer >= ${min}`);
  return raw as number;
}

function parseQuery(col: Collection, raw: unknown, usingRaw: unknown): ParsedQuery {
  if (usingRaw !== undefined && usingRaw !== null && typeof usingRaw !== "string") {
    throw wrongInput("using must be a vector name");
  }
  const using = (usingRaw as string | undefined) ?? "";
  if (raw === undefined || raw === null) return { kind: "none" };
  if (isObject(raw)) {
    if ("nearest" in raw) {
      if (raw.mmr !== undefined && raw.mmr !== null) throw unsupported("MMR re-ranking");
      return parseQuery(col, raw.nearest, usingRaw);
    }
    if ("fusion" in raw) {
      if (raw.fusion === "rrf") return { kind: "rrf", k: DEFAULT_RRF_K };
      if (raw.fusion === "dbsf") throw unsupported("DBSF fusion");
      throw wrongInput(`unknown fusion ${JSON.stringify(raw.fusion)}; expected rrf or dbsf`);
    }
    if ("rrf" in raw) {
      const rrf = isObject(raw.rrf) ? raw.rrf : {};
      const k = rrf.k === undefined || rrf.k === null ? DEFAULT_RRF_K : intParam(rrf.k, "rrf.k", 2, 1);
      const weights = Array.isArray(rrf.weights) ? (rrf.weights as number[]) : undefined;
      return { kind: "rrf", k, weights };
    }
    if ("indices" in raw) return sparseQuery(col, using, parseSparse(using, raw));
    const kind = Object.keys(raw)[0] ?? "empty object";
    throw unsupported(`the \`${kind}\` query`);
  }
  if (Array.isArray(raw)) {
    if (raw.some(Array.isArray)) throw unsupported("multivector queries");
    const params = col.layout.dense.get(using);
    if (!params) {
      if (col.layout.sparse.has(using))
        throw wrongInput(`vector \`${using}\` is sparse; query it with {indices, values}`);
      throw wrongInput(`Not existing vector name error: ${using}`);
    }
    return { kind: "dense", using, vector: parseDense(using, raw, params) };
  }
  if (typeof raw === "number" || typeof raw === "string") {
    // Query by point id: search with that point's own vector.
    const ref = col.get(parsePointId(raw));
    if (!ref) throw new EngineError(404, `Not found: No point with id ${raw} found`);
    const dense = ref.part.denseAt(using, ref.slot);
    if (dense) return { kind: "dense", using, vector: Float32Array.from(dense) };
    const sparse = ref.part.sparseAt(using, ref.slot);
    if (sparse) return sparseQuery(col, using, sparse);
    throw wrongInput(`point ${raw} has no vector \`${using}\``);
  }
  throw wrongInput("query must be a vector, a sparse vector, a point id or a query object");
}

function sparseQuery(col: Collection, using: string, vector: SparseVec): ParsedQuery {
  const params = col.layout.sparse.get(using);
  if (!params) {
    if (col.layout.dense.has(using))
      throw wrongInput(`vector \`${using}\` is dense; query it with a list of numbers`);
    throw wrongInput(`Not existing vector name error: ${using}`);
  }
  if (!params.idf) return { kind: "sparse", using, vector };
  const stats = col.sparseStats.get(using)!;
  const values = new Float32Array(vector.values.length);
  for (let i = 0; i < values.length; i++) {
    values[i] = vector.values[i]! * idf(stats.points, stats.docFreq.get(vector.indices[i]!) ?? 0);
  }
  return { kind: "sparse", using, vector: { indices: vector.indices, values } };
}

function search(col: Collection, q: ParsedQuery, filter: unknown, want: number): Ranked[] {
  const top = new TopK<Ref>(want);
  const slots = col.filterSlots(filter);
  for (const part of col.partitionsFor(filter)) {
    const set = slots(part);
    if (q.kind === "dense") part.searchDense(q.using, q.vector, set, top);
    else if (q.kind === "sparse") part.searchSparse(q.using, q.vector.indices, q.vector.values, set, top);
  }
  return top.sorted().map(({ item, score }) => ({ ref: item, score: Math.fround(score) }));
}

function sparseDot(a: SparseVec, b: SparseVec): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) s += a.values[i++]! * b.values[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** Re-scores prefetched candidates with the outer nearest query (points lacking that vector drop out). */
function rescore(candidates: Ranked[], q: ParsedQuery): Ranked[] {
  const out: Ranked[] = [];
  for (const { ref } of candidates) {
    if (q.kind === "dense") {
      const v = ref.part.denseAt(q.using, ref.slot);
      if (!v) continue;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * q.vector[i]!;
      out.push({ ref, score: Math.fround(s) });
    } else if (q.kind === "sparse") {
      const v = ref.part.sparseAt(q.using, ref.slot);
      if (v) out.push({ ref, score: Math.fround(sparseDot(q.vector, v)) });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

function dedupe(list: Ranked[]): Ranked[] {
  const seen = new Set<Ref["part"]["ids"][number]>();
  return list.filter((r) => {
    const id = r.ref.part.ids[r.ref.slot]!;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function fuse(subs: Ranked[][], k: number, weights?: number[]): Ranked[] {
  const refs = new Map<unknown, Ref>();
  const lists = subs.map((list) =>
    list.map((r) => {
      const id = r.ref.part.ids[r.ref.slot]!;
      refs.set(id, r.ref);
      return id;
    }),
  );
  return rrfFuse(lists, k, weights).map(([id, score]) => ({ ref: refs.get(id)!, score: Math.fround(score) }));
}
