/**
 * The capability the rest of the service uses to store and search chunk vectors.
 * Implemented by the Qdrant adapter (./qdrant-index.ts), which talks to either a Qdrant server or
 * the embedded engine through @qdrant/js-client-rest. Every call takes the tenant explicitly and
 * the adapter adds the tenant filter itself, so no caller can omit or widen it.
 */
export interface SparseVector {
  indices: number[];
  values: number[];
}

/** Scalar metadata attribute values a document may carry (usable as search filters). */
export type MetaValue = string | number | boolean;

export interface ChunkPayload {
  kb_id: string;
  doc_id: string;
  doc_version: string;
  chunk: number;
  page_start: number | null;
  page_end: number | null;
  heading_path: string[];
  text: string;
  char_start: number;
  char_end: number;
  title: string;
  meta: Record<string, MetaValue>;
}

export interface ChunkPoint {
  dense: number[];
  sparse: SparseVector;
  payload: ChunkPayload;
}

/** A condition on a metadata attribute (key is the attribute name, without any prefix). */
export type MetaCondition =
  | { key: string; match: { value: MetaValue } }
  | { key: string; match: { any: MetaValue[] } }
  | { key: string; match: { except: MetaValue[] } }
  | { key: string; range: { gt?: number; gte?: number; lt?: number; lte?: number } };

export interface MetaFilter {
  must?: MetaCondition[];
  should?: MetaCondition[];
  must_not?: MetaCondition[];
}

export interface Scope {
  /** Restrict to these knowledge bases (required: a search never spans a whole tenant by accident). */
  kbIds: string[];
  docIds?: string[];
  /** Only these document versions (used to hide versions that are not ready yet). */
  docVersions?: string[];
  /** Never these document versions (versions still indexing, or replaced, stay invisible). */
  excludeDocVersions?: string[];
  meta?: MetaFilter;
}

export type QueryMode = "hybrid" | "dense" | "sparse";

/** How hybrid results are fused (Qdrant RRF: score = sum of 1 / ((rank + 1) / weight + k - 1)). */
export interface FusionParams {
  k: number;
  denseWeight: number;
  sparseWeight: number;
  /** Candidates fetched from each side before fusion (at least limit + offset). */
  prefetchLimit: number;
}

export interface VectorQuery {
  scope: Scope;
  mode: QueryMode;
  dense?: number[];
  sparse?: SparseVector;
  limit: number;
  offset?: number;
  scoreThreshold?: number;
  /** Hybrid fusion; Qdrant's default RRF (k = 2, equal weights) when omitted. */
  fusion?: FusionParams;
  /**
   * false: hits come without their chunk text (the bulk of a payload), for callers that only need
   * references. Default true.
   */
  withText?: boolean;
}

export interface Hit {
  id: string;
  score: number;
  /** `text` is absent when the query set withText: false. */
  payload: Omit<ChunkPayload, "text"> & { text?: string };
}

/** What a delete or count targets; at least one field beyond the tenant is set for deletes. */
export interface Selector {
  kbId?: string;
  docId?: string;
  docVersion?: string;
}

export interface VectorIndex {
  /** Creates the collection and payload indexes if missing (idempotent). */
  ensureReady(): Promise<void>;
  upsert(tenantId: string, points: ChunkPoint[]): Promise<void>;
  query(tenantId: string, q: VectorQuery): Promise<Hit[]>;
  /** Deletes points matching the selector (or the whole tenant when the selector is empty); returns how many were removed. */
  delete(tenantId: string, sel: Selector): Promise<number>;
  count(tenantId: string, sel: Selector): Promise<number>;
  /** For /readyz: true when the store answers. */
  ping(): Promise<boolean>;
}
