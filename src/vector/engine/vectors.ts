import { unsupported, wrongInput } from "./errors.js";
import type { SparseVec } from "./partition.js";
import { normalizeInPlace } from "./scoring.js";

export type Distance = "Cosine" | "Dot";

export interface DenseParams {
  size: number;
  distance: Distance;
}

export interface SparseParams {
  idf: boolean;
}

/** The vector layout of a collection, parsed from a create-collection request. */
export interface VectorLayout {
  dense: Map<string, DenseParams>;
  sparse: Map<string, SparseParams>;
  /** True when `vectors` was a single VectorParams (the unnamed default vector, stored under ""). */
  unnamed: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseDenseParams(name: string, raw: unknown): DenseParams {
  if (!isObject(raw))
    throw wrongInput(`vector params for \`${name}\` must be an object with size and distance`);
  const { size, distance } = raw;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 65536) {
    throw wrongInput(`vectors${name ? `.${name}` : ""}.size must be an integer between 1 and 65536`);
  }
  if (distance === "Euclid" || distance === "Manhattan") throw unsupported(`the ${distance} distance`);
  if (distance !== "Cosine" && distance !== "Dot") {
    throw wrongInput(
      `unknown distance ${JSON.stringify(distance)}; expected Cosine, Dot, Euclid or Manhattan`,
    );
  }
  if (raw.multivector_config) throw unsupported("multivectors");
  return { size: size as number, distance };
}

export function parseLayout(body: Record<string, unknown>): VectorLayout {
  const dense = new Map<string, DenseParams>();
  const sparse = new Map<string, SparseParams>();
  let unnamed = false;
  const vectors = body.vectors;
  if (isObject(vectors)) {
    if ("size" in vectors || "distance" in vectors) {
      dense.set("", parseDenseParams("", vectors));
      unnamed = true;
    } else {
      for (const [name, params] of Object.entries(vectors)) dense.set(name, parseDenseParams(name, params));
    }
  } else if (vectors !== undefined && vectors !== null) {
    throw wrongInput("vectors must be VectorParams or a map of name -> VectorParams");
  }
  if (isObject(body.sparse_vectors)) {
    for (const [name, params] of Object.entries(body.sparse_vectors)) {
      const modifier = isObject(params) ? params.modifier : undefined;
      if (modifier !== undefined && modifier !== null && modifier !== "none" && modifier !== "idf") {
        throw wrongInput(`unknown sparse modifier ${JSON.stringify(modifier)}; expected none or idf`);
      }
      sparse.set(name, { idf: modifier === "idf" });
    }
  }
  return { dense, sparse, unnamed };
}

/** The `vectors`/`sparse_vectors` part of CollectionParams, as Qdrant echoes it back. */
export function layoutToJson(layout: VectorLayout): { vectors: unknown; sparse_vectors?: unknown } {
  const vec = (p: DenseParams) => ({ size: p.size, distance: p.distance });
  const vectors = layout.unnamed
    ? vec(layout.dense.get("")!)
    : Object.fromEntries([...layout.dense].map(([n, p]) => [n, vec(p)]));
  if (layout.sparse.size === 0) return { vectors };
  const sparse_vectors = Object.fromEntries(
    [...layout.sparse].map(([n, p]) => [n, p.idf ? { modifier: "idf" } : {}]),
  );
  return { vectors, sparse_vectors };
}

export function parseDense(name: string, raw: unknown, params: DenseParams): Float32Array {
  if (!Array.isArray(raw)) throw wrongInput(`vector \`${name}\` must be a list of numbers`);
  if (raw.length !== params.size) {
    throw wrongInput(`Vector dimension error: expected dim: ${params.size}, got ${raw.length}`);
  }
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    if (typeof x !== "number" || !Number.isFinite(x))
      throw wrongInput(`vector \`${name}\` has a non-numeric value`);
    out[i] = x;
  }
  return params.distance === "Cosine" ? normalizeInPlace(out) : out;
}

export function parseSparse(name: string, raw: unknown): SparseVec {
  if (!isObject(raw) || !Array.isArray(raw.indices) || !Array.isArray(raw.values)) {
    throw wrongInput(`sparse vector \`${name}\` must be {indices: [...], values: [...]}`);
  }
  const { indices, values } = raw as { indices: unknown[]; values: unknown[] };
  if (indices.length !== values.length) {
    throw wrongInput(`sparse vector \`${name}\`: indices and values must be the same length`);
  }
  const order = indices.map((_, i) => i);
  for (let i = 0; i < indices.length; i++) {
    const ix = indices[i];
    if (!Number.isInteger(ix) || (ix as number) < 0 || (ix as number) > 0xffffffff) {
      throw wrongInput(`sparse vector \`${name}\`: indices must be unsigned 32-bit integers`);
    }
    if (typeof values[i] !== "number" || !Number.isFinite(values[i])) {
      throw wrongInput(`sparse vector \`${name}\`: values must be numbers`);
    }
  }
  order.sort((a, b) => (indices[a] as number) - (indices[b] as number));
  const out: SparseVec = { indices: new Uint32Array(order.length), values: new Float32Array(order.length) };
  order.forEach((src, dst) => {
    out.indices[dst] = indices[src] as number;
    out.values[dst] = values[src] as number;
    if (dst > 0 && out.indices[dst] === out.indices[dst - 1]) {
      throw wrongInput(`sparse vector \`${name}\`: indices must be unique`);
    }
  });
  return out;
}

/** Parses a point's `vector` field against the layout into dense and sparse maps. */
export function parsePointVectors(
  raw: unknown,
  layout: VectorLayout,
): { dense: Map<string, Float32Array>; sparse: Map<string, SparseVec> } {
  const dense = new Map<string, Float32Array>();
  const sparse = new Map<string, SparseVec>();
  if (Array.isArray(raw)) {
    const params = layout.dense.get("");
    if (!params) throw wrongInput("Not existing vector name error: (the collection has only named vectors)");
    dense.set("", parseDense("", raw, params));
    return { dense, sparse };
  }
  if (!isObject(raw)) throw wrongInput("point vector must be a list of numbers or a map of named vectors");
  for (const [name, v] of Object.entries(raw)) {
    const d = layout.dense.get(name);
    if (d) {
      dense.set(name, parseDense(name, v, d));
      continue;
    }
    if (layout.sparse.has(name)) {
      sparse.set(name, parseSparse(name, v));
      continue;
    }
    throw wrongInput(`Not existing vector name error: ${name}`);
  }
  return { dense, sparse };
}
