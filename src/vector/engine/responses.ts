import type { Collection } from "./collection.js";
import type { Ref } from "./partition.js";
import { selectPayload } from "./payload.js";
import type { Ranked } from "./query.js";
import { layoutToJson } from "./vectors.js";

/** Qdrant's CollectionInfo for GET /collections/{name}. */
export function collectionInfo(col: Collection): Record<string, unknown> {
  const payload_schema: Record<string, unknown> = {};
  for (const [field, schema] of col.payloadSchema) {
    const dataType = typeof schema === "string" ? schema : (schema as { type?: string }).type;
    payload_schema[field] = {
      data_type: dataType,
      ...(typeof schema === "object" && schema !== null ? { params: schema } : {}),
      points: col.indexedPoints(field),
    };
  }
  return {
    status: "green",
    optimizer_status: "ok",
    indexed_vectors_count: 0,
    points_count: col.pointCount,
    segments_count: Math.max(1, col.partitions.size),
    config: {
      params: {
        ...layoutToJson(col.layout),
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: false,
      },
      hnsw_config: {
        m: 16,
        ef_construct: 100,
        full_scan_threshold: 10000,
        max_indexing_threads: 0,
        on_disk: false,
      },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        max_segment_size: null,
        memmap_threshold: null,
        indexing_threshold: 10000,
        flush_interval_sec: 5,
        max_optimization_threads: null,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: null,
    },
    payload_schema,
  };
}

/** `with_vector`: false, true, or a list of vector names. Named layouts answer with a map. */
function vectorOut(col: Collection, ref: Ref, selector: unknown): unknown {
  if (selector === undefined || selector === null || selector === false) return undefined;
  const names = Array.isArray(selector) ? new Set(selector as string[]) : null;
  if (col.layout.unnamed && (!names || names.has(""))) {
    const v = ref.part.denseAt("", ref.slot);
    return v ? Array.from(v) : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const name of col.layout.dense.keys()) {
    if (names && !names.has(name)) continue;
    const v = ref.part.denseAt(name, ref.slot);
    if (v) out[name] = Array.from(v);
  }
  for (const name of col.layout.sparse.keys()) {
    if (names && !names.has(name)) continue;
    const v = ref.part.sparseAt(name, ref.slot);
    if (v) out[name] = { indices: Array.from(v.indices), values: Array.from(v.values) };
  }
  return out;
}

/** A Record (retrieve/scroll) or, with a score, a ScoredPoint. */
export function pointOut(
  col: Collection,
  ref: Ref,
  withPayload: unknown,
  withVector: unknown,
  score?: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: ref.part.ids[ref.slot] };
  if (score !== undefined) {
    out.version = ref.part.versions[ref.slot];
    out.score = score;
  }
  const payload = selectPayload(ref.part.payloads[ref.slot]!, withPayload);
  if (payload) out.payload = payload;
  const vector = vectorOut(col, ref, withVector);
  if (vector !== undefined) out.vector = vector;
  return out;
}

export function scoredOut(col: Collection, ranked: Ranked[], withPayload: unknown, withVector: unknown) {
  return ranked.map((r) => pointOut(col, r.ref, withPayload, withVector, r.score));
}
