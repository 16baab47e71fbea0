import { DenseArena } from "./dense-arena.js";
import { compileFilter, pinnedTenants } from "./filter.js";
import { EVERY_SLOT, planFilter, slotsFor } from "./filter-plan.js";
import {
  type IndexedFields,
  Partition,
  type Ref,
  type SlotSet,
  type SparseVec,
  type StoredPoint,
} from "./partition.js";
import { pathGetter } from "./payload.js";
import { comparePointIds, type PointId } from "./point-id.js";
import type { VectorLayout } from "./vectors.js";

/** Points whose tenant value is not a single scalar live here and are visited by every search. */
const MIXED_PARTITION = "\u0000mixed";
const COMPACT_MIN_TOMBSTONES = 1024;
/** Payload index types whose `match` conditions the partitions answer from posting lists. */
const POSTING_TYPES = new Set(["keyword", "integer", "uuid", "bool"]);

interface SparseStats {
  points: number;
  docFreq: Map<number, number>;
}

/**
 * One collection's points, grouped into per-tenant partitions so a tenant-filtered search touches only
 * that tenant's points. Also keeps the collection-wide document frequencies the `idf` modifier needs.
 */
export class Collection {
  readonly partitions = new Map<string, Partition>();
  private readonly locations = new Map<PointId, Ref>();
  readonly sparseStats = new Map<string, SparseStats>();
  /** field name -> the field_schema it was indexed with (kept verbatim for GET collection). */
  readonly payloadSchema = new Map<string, unknown>();
  tenantKey: string | null = null;
  private tenantOf: (payload: Record<string, unknown>) => string = () => "";
  private readonly arenas: Map<string, DenseArena>;
  private readonly indexed: IndexedFields = new Map();

  constructor(
    readonly name: string,
    readonly layout: VectorLayout,
    /** The create request as received, minus vectors (echoed in GET collection where relevant). */
    readonly createdWith: Record<string, unknown>,
  ) {
    this.arenas = new Map([...layout.dense].map(([n, p]) => [n, new DenseArena(p.size)]));
    for (const n of layout.sparse.keys()) this.sparseStats.set(n, { points: 0, docFreq: new Map() });
  }

  get pointCount(): number {
    return this.locations.size;
  }

  upsert(points: StoredPoint[]): void {
    for (const p of points) {
      this.removeId(p.id);
      const part = this.partitionFor(this.tenantOf(p.payload));
      const slot = part.add(p);
      this.locations.set(p.id, { part, slot });
      this.countTerms(p.sparse, 1);
    }
  }

  delete(ids: PointId[]): number {
    let removed = 0;
    for (const id of ids) if (this.removeId(id)) removed++;
    return removed;
  }

  get(id: PointId): Ref | undefined {
    return this.locations.get(id);
  }

  /** Ids of live points matching the filter, in Qdrant's id order. */
  matchingIds(filter: unknown): PointId[] {
    const out: PointId[] = [];
    this.forEachMatch(filter, (part, slot) => out.push(part.ids[slot]!));
    return out.sort(comparePointIds);
  }

  count(filter: unknown): number {
    if (filter === undefined || filter === null) return this.locations.size;
    let n = 0;
    this.forEachMatch(filter, () => n++);
    return n;
  }

  /** The partitions a filter can match (its pinned tenants plus the mixed partition), or all of them. */
  partitionsFor(filter: unknown): Partition[] {
    const pinned = pinnedTenants(filter, this.tenantKey);
    if (!pinned) return [...this.partitions.values()];
    const keys = [...pinned, MIXED_PARTITION];
    return keys.map((k) => this.partitions.get(k)).filter((p): p is Partition => p !== undefined);
  }

  /** Plans a filter once (validating it); the result gives, per partition, the slots it can match. */
  filterSlots(filter: unknown): (part: Partition) => SlotSet {
    compileFilter(filter);
    if (filter === undefined || filter === null) return EVERY_SLOT;
    const plan = planFilter(filter, (field) => this.indexed.has(field));
    return (part) => slotsFor(plan, part);
  }

  forEachMatch(filter: unknown, fn: (part: Partition, slot: number) => void): void {
    const slots = this.filterSlots(filter);
    for (const part of this.partitionsFor(filter)) {
      const { mask, test, count } = slots(part);
      if (count === 0) continue;
      for (let slot = 0; slot < part.size; slot++) {
        if (part.alive[slot] && (!mask || mask[slot]) && (!test || test(slot))) fn(part, slot);
      }
    }
  }

  /** Registers a payload index; a keyword index with is_tenant repartitions points by that key. */
  createIndex(field: string, schema: unknown): void {
    this.payloadSchema.set(field, schema);
    const type = typeof schema === "string" ? schema : (schema as { type?: unknown } | null)?.type;
    if (typeof type === "string" && POSTING_TYPES.has(type) && !this.indexed.has(field)) {
      this.indexed.set(field, pathGetter(field)); // partitions build posting lists on first use
    }
    const isTenant =
      typeof schema === "object" && schema !== null && (schema as { is_tenant?: unknown }).is_tenant === true;
    if (isTenant && this.tenantKey === null) {
      this.tenantKey = field;
      const get = pathGetter(field);
      this.tenantOf = (payload) => {
        const values = get(payload);
        if (values.length === 0) return "";
        if (values.length === 1 && (typeof values[0] === "string" || typeof values[0] === "number")) {
          return String(values[0]);
        }
        return MIXED_PARTITION;
      };
      this.rebuild();
    }
  }

  /** Number of live points carrying a value for the field (the `points` of PayloadIndexInfo). */
  indexedPoints(field: string): number {
    const get = pathGetter(field);
    let n = 0;
    this.forEachMatch(undefined, (part, slot) => {
      if (get(part.payloads[slot]!).length > 0) n++;
    });
    return n;
  }

  /** Every live point (for snapshots). */
  *points(): Generator<StoredPoint> {
    for (const part of this.partitions.values()) {
      for (let slot = 0; slot < part.size; slot++) if (part.alive[slot]) yield part.point(slot);
    }
  }

  private removeId(id: PointId): boolean {
    const ref = this.locations.get(id);
    if (!ref) return false;
    const sparse = new Map<string, SparseVec>();
    for (const name of this.sparseStats.keys()) {
      const v = ref.part.sparseAt(name, ref.slot);
      if (v) sparse.set(name, v);
    }
    this.countTerms(sparse, -1);
    ref.part.remove(ref.slot);
    this.locations.delete(id);
    const part = ref.part;
    if (part.live === 0) {
      this.partitions.delete(part.key);
      part.release();
    } else if (part.tombstones > COMPACT_MIN_TOMBSTONES && part.tombstones > part.live) {
      this.compact(part);
    }
    return true;
  }

  private partitionFor(key: string): Partition {
    let part = this.partitions.get(key);
    if (!part) {
      part = new Partition(key, this.arenas, this.indexed);
      this.partitions.set(key, part);
    }
    return part;
  }

  private compact(old: Partition): void {
    const fresh = new Partition(old.key, this.arenas, this.indexed);
    for (let slot = 0; slot < old.size; slot++) {
      if (!old.alive[slot]) continue;
      const p = old.point(slot);
      this.locations.set(p.id, { part: fresh, slot: fresh.add(p) });
    }
    this.partitions.set(old.key, fresh);
    old.release();
  }

  private rebuild(): void {
    const all = [...this.points()];
    for (const part of this.partitions.values()) part.release();
    this.partitions.clear();
    this.locations.clear();
    for (const p of all) {
      const part = this.partitionFor(this.tenantOf(p.payload));
      this.locations.set(p.id, { part, slot: part.add(p) });
    }
  }

  private countTerms(sparse: Map<string, SparseVec>, delta: 1 | -1): void {
    for (const [name, vec] of sparse) {
      const stats = this.sparseStats.get(name);
      if (!stats) continue;
      stats.points += delta;
      for (const term of vec.indices) {
        const n = (stats.docFreq.get(term) ?? 0) + delta;
        if (n === 0) stats.docFreq.delete(term);
        else stats.docFreq.set(term, n);
      }
    }
  }
}
