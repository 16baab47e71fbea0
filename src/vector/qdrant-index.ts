import { createHash } from "node:crypto";
import type { QdrantClient } from "@qdrant/js-client-rest";
import { VectorStoreRequestError } from "./errors.js";
import { type QdrantFilter, scopeFilter, selectorFilter } from "./filter.js";
import { chunkPointId } from "./point-id.js";
import { type RetryPolicy, withRetry } from "./retry.js";
import type { ChunkPayload, ChunkPoint, Hit, Selector, VectorIndex, VectorQuery } from "./types.js";

const DENSE = "dense";
const SPARSE = "sparse";
const UPSERT_BATCH = 256;
const KEYWORD_INDEXES = ["kb_id", "doc_id", "doc_version"];

/**
 * Collection name for an embedder: vectors from different embedders never share a collection. Ids
 * that need sanitizing get a short hash so two different ids cannot collapse onto one name.
 */
export function collectionNameFor(embedderId: string): string {
  const clean = embedderId
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 160);
  if (clean === embedderId && clean.length > 0) return `chunks__${clean}`;
  const hash = createHash("sha1").update(embedderId).digest("hex").slice(0, 8);
  return `chunks__${clean || "embedder"}-${hash}`;
}

export interface QdrantIndexOptions {
  client: QdrantClient;
  collection: string;
  dimension: number;
  retry?: RetryPolicy;
  /** Used only in error messages; defaults to the client's own base URL. */
  url?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the client's request types are deep unions; bodies are built from typed inputs above.
type AnyBody = any;

/**
 * VectorIndex on Qdrant (or the embedded engine) through the Query API. Thin: stores and queries
 * points; the tenant filter is always added here from the tenantId argument.
 */
export class QdrantIndex implements VectorIndex {
  private readonly client: QdrantClient;
  private readonly collection: string;
  private readonly dimension: number;
  private readonly retry: RetryPolicy;
  private readonly url: string;

  constructor(opts: QdrantIndexOptions) {
    this.client = opts.client;
    this.collection = opts.collection;
    this.dimension = opts.dimension;
    this.retry = opts.retry ?? { attempts: 4, baseMs: 100 };
    this.url =
      opts.url ?? String((opts.client as unknown as { _restUri?: string })._restUri ?? "(configured URL)");
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, this.url, this.retry, fn);
  }

  async ensureReady(): Promise<void> {
    const { exists } = await this.call("a collection check", () =>
      this.client.collectionExists(this.collection),
    );
    if (exists) {
      await this.checkDimension();
    } else {
      try {
        await this.call("collection creation", () =>
          this.client.createCollection(this.collection, {
            vectors: { [DENSE]: { size: this.dimension, distance: "Cosine" } },
            sparse_vectors: { [SPARSE]: { modifier: "idf" } },
          }),
        );
      } catch (e) {
        // Another process created it between our check and create: fine, as long as it matches.
        if (!(e instanceof VectorStoreRequestError && e.status === 409)) throw e;
        await this.checkDimension();
      }
    }
    const indexes: [string, unknown][] = [
      ["tenant_id", { type: "keyword", is_tenant: true }],
      ...KEYWORD_INDEXES.map((f): [string, unknown] => [f, "keyword"]),
    ];
    for (const [field_name, field_schema] of indexes) {
      await this.call(`payload index creation on ${field_name}`, () =>
        this.client.createPayloadIndex(this.collection, {
          field_name,
          field_schema: field_schema as AnyBody,
          wait: true,
        }),
      );
    }
  }

  private async checkDimension(): Promise<void> {
    const info = await this.call("collection info", () => this.client.getCollection(this.collection));
    const vectors = info.config.params.vectors as Record<string, { size?: number }> | undefined;
    const size = vectors?.[DENSE]?.size;
    if (size !== this.dimension) {
      throw new VectorStoreRequestError(
        `collection ${this.collection} stores ${DENSE} vectors of size ${size ?? "unknown"} but the embedder produces ${this.dimension}; use the collection named for this embedder (collectionNameFor)`,
        undefined,
      );
    }
  }

  async upsert(tenantId: string, points: ChunkPoint[]): Promise<void> {
    for (const p of points) {
      if (p.dense.length !== this.dimension) {
        throw new VectorStoreRequestError(
          `dense vector of chunk ${p.payload.chunk} (doc version ${p.payload.doc_version}) has ${p.dense.length} dimensions, expected ${this.dimension}`,
          undefined,
        );
      }
    }
    for (let i = 0; i < points.length; i += UPSERT_BATCH) {
      const batch = points.slice(i, i + UPSERT_BATCH).map((p) => ({
        id: chunkPointId(tenantId, p.payload.doc_version, p.payload.chunk),
        vector: { [DENSE]: p.dense, [SPARSE]: p.sparse },
        payload: { ...p.payload, tenant_id: tenantId },
      }));
      await this.call("an upsert", () => this.client.upsert(this.collection, { wait: true, points: batch }));
    }
  }

  async query(tenantId: string, q: VectorQuery): Promise<Hit[]> {
    if (q.scope.kbIds.length === 0 || q.limit <= 0) return [];
    const filter = scopeFilter(tenantId, q.scope);
    const hasSparse = (q.sparse?.indices.length ?? 0) > 0;
    const mode = q.mode === "hybrid" && !hasSparse ? "dense" : q.mode;
    const page = {
      filter,
      limit: q.limit,
      offset: q.offset ?? 0,
      score_threshold: q.scoreThreshold,
      // Chunk text is most of a response's bytes: leaving it out cuts 100 hits of 400-token chunks ~5x.
      with_payload: q.withText === false ? { exclude: ["text"] } : true,
    };
    let body: AnyBody;
    if (mode === "hybrid") {
      const wanted = q.limit + (q.offset ?? 0);
      // Tuned fusion names its own depth (FusionParams.prefetchLimit, at least limit + offset), the depth
      // it was measured at; plain RRF gets a deeper margin since equal weights pull from further down.
      const prefetchLimit = q.fusion ? Math.max(q.fusion.prefetchLimit, wanted) : Math.max(50, wanted * 4);
      body = {
        prefetch: [
          { query: this.denseVector(q), using: DENSE, filter, limit: prefetchLimit },
          { query: q.sparse, using: SPARSE, filter, limit: prefetchLimit },
        ],
        query: q.fusion
          ? { rrf: { k: q.fusion.k, weights: [q.fusion.denseWeight, q.fusion.sparseWeight] } }
          : { fusion: "rrf" },
        ...page,
      };
    } else if (mode === "dense") {
      body = { query: this.denseVector(q), using: DENSE, ...page };
    } else {
      if (!hasSparse) return [];
      body = { query: q.sparse, using: SPARSE, ...page };
    }
    const res = await this.call("a query", () => this.client.query(this.collection, body));
    return res.points.map((p) => {
      const { tenant_id: _t, ...payload } = (p.payload ?? {}) as unknown as ChunkPayload & {
        tenant_id?: string;
      };
      return { id: String(p.id), score: p.score, payload };
    });
  }

  private denseVector(q: VectorQuery): number[] {
    if (!q.dense) throw new VectorStoreRequestError(`a ${q.mode} query needs a dense vector`, undefined);
    if (q.dense.length !== this.dimension) {
      throw new VectorStoreRequestError(
        `query vector has ${q.dense.length} dimensions, expected ${this.dimension}`,
        undefined,
      );
    }
    return q.dense;
  }

  async delete(tenantId: string, sel: Selector): Promise<number> {
    const filter = selectorFilter(tenantId, sel);
    const before = await this.countFiltered(filter);
    if (before === 0) return 0;
    await this.call("a delete", () =>
      this.client.delete(this.collection, { wait: true, filter: filter as AnyBody }),
    );
    return before;
  }

  count(tenantId: string, sel: Selector): Promise<number> {
    return this.countFiltered(selectorFilter(tenantId, sel));
  }

  private async countFiltered(filter: QdrantFilter): Promise<number> {
    const res = await this.call("a count", () =>
      this.client.count(this.collection, { filter: filter as AnyBody, exact: true }),
    );
    return res.count;
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.versionInfo();
      return true;
    } catch {
      return false;
    }
  }
}
