import { BLOCK_ROWS, type DenseArena } from "./dense-arena.js";
import type { Payload } from "./payload.js";
import type { PointId } from "./point-id.js";
import { dotAt, type TopK } from "./scoring.js";

/**
 * The slots of one partition a filter can match: `mask` from the payload indexes (null: every slot),
 * `test` for the conditions no index answers (null: none), `count` an upper bound on candidates
 * (0: nothing can match). Liveness is not part of it; searches check tombstones themselves.
 */
export interface SlotSet {
  mask: Uint8Array | null;
  test: ((slot: number) => boolean) | null;
  count: number;
}

export interface SparseVec {
  indices: Uint32Array;
  values: Float32Array;
}

/** One point as the engine holds it: vectors already validated (and normalized for Cosine). */
export interface StoredPoint {
  id: PointId;
  version: number;
  payload: Payload;
  dense: Map<string, Float32Array>;
  sparse: Map<string, SparseVec>;
}

export interface Ref {
  part: Partition;
  slot: number;
}

/** Payload getters of the fields with a payload index, shared by a collection's partitions. */
export type IndexedFields = Map<string, (payload: Payload) => unknown[]>;

/** A partition's rows of one named dense vector: blocks of BLOCK_ROWS rows in the collection's arena. */
interface DenseColumn {
  arena: DenseArena;
  blocks: number[];
  has: Uint8Array;
}

/**
 * Sparse vectors of a partition plus an inverted index in CSR form (term -> a run of slots/weights) over
 * slots below `indexed`. Newer slots (the tail) are scored directly until the tail is large enough to be
 * worth re-indexing; the index is rebuilt lazily by a query, so bulk loads and restarts never pay for it.
 */
interface SparseColumn {
  vecs: (SparseVec | undefined)[];
  indexed: number;
  terms: Map<number, number>;
  starts: Int32Array;
  slots: Int32Array;
  vals: Float32Array;
}

const MIN_UNINDEXED_TAIL = 256;

/**
 * The points of one tenant (one value of the collection's `is_tenant` key), stored column-wise: dense
 * vectors in blocks of the collection's arena per vector name, sparse vectors in an inverted index, and
 * for each indexed payload field a posting list (value -> slots, ascending) so filters become slot
 * masks instead of a predicate call per point. Deletes leave tombstones (also in the posting lists);
 * the collection rebuilds a partition once too many accumulate.
 */
export class Partition {
  ids: PointId[] = [];
  payloads: Payload[] = [];
  versions: number[] = [];
  alive: Uint8Array = new Uint8Array(16);
  size = 0;
  live = 0;
  private readonly dense = new Map<string, DenseColumn>();
  private readonly sparse = new Map<string, SparseColumn>();
  /** field -> value -> slots, for the indexed fields a filter has used so far. */
  private readonly postingLists = new Map<string, Map<unknown, number[]>>();
  private scratch = new Float32Array(0);
  private seen = new Uint8Array(0);

  constructor(
    readonly key: string,
    private readonly arenas: Map<string, DenseArena>,
    private readonly indexed: IndexedFields,
  ) {}

  add(p: StoredPoint): number {
    const slot = this.size++;
    this.live++;
    if (slot >= this.alive.length) this.alive = grow(this.alive, slot + 1) as Uint8Array;
    this.alive[slot] = 1;
    this.ids[slot] = p.id;
    this.payloads[slot] = p.payload;
    this.versions[slot] = p.version;
    for (const [name, vec] of p.dense) {
      const col = this.denseColumn(name);
      const block = (slot / BLOCK_ROWS) | 0;
      while (col.blocks.length <= block) col.blocks.push(col.arena.allocBlock());
      if (slot >= col.has.length) col.has = grow(col.has, slot + 1) as Uint8Array;
      col.arena.view.set(vec, col.arena.offset(col.blocks[block]!, slot % BLOCK_ROWS));
      col.has[slot] = 1;
    }
    for (const [field, lists] of this.postingLists)
      this.post(lists, this.indexed.get(field)!(p.payload), slot);
    for (const [name, vec] of p.sparse) {
      let col = this.sparse.get(name);
      if (!col) {
        col = {
          vecs: [],
          indexed: 0,
          terms: new Map(),
          starts: new Int32Array(1),
          slots: new Int32Array(0),
          vals: new Float32Array(0),
        };
        this.sparse.set(name, col);
      }
      col.vecs[slot] = vec;
    }
    return slot;
  }

  remove(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.live--;
    // Drop the payload reference now so tombstones hold no memory beyond their vectors.
    this.payloads[slot] = {};
  }

  /**
   * Slots (ascending, tombstones included) whose field holds `value`; undefined when none. A field's
   * lists are built on first use and then kept up to date by `add`, so restarts and bulk loads never
   * pay for fields no filter uses.
   */
  postings(field: string, value: unknown): number[] | undefined {
    let lists = this.postingLists.get(field);
    if (!lists) {
      const get = this.indexed.get(field);
      if (!get) return undefined;
      lists = new Map();
      for (let slot = 0; slot < this.size; slot++) {
        if (this.alive[slot]) this.post(lists, get(this.payloads[slot]!), slot);
      }
      this.postingLists.set(field, lists);
    }
    return lists.get(value);
  }

  private post(lists: Map<unknown, number[]>, values: unknown[], slot: number): void {
    for (const v of values) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") continue;
      const list = lists.get(v);
      if (!list) lists.set(v, [slot]);
      else if (list[list.length - 1] !== slot) list.push(slot);
    }
  }

  /** Returns the partition's dense blocks to the arenas; the partition must not be used afterwards. */
  release(): void {
    for (const col of this.dense.values()) {
      for (const b of col.blocks) col.arena.freeBlock(b);
      col.blocks = [];
    }
  }

  get tombstones(): number {
    return this.size - this.live;
  }

  point(slot: number): StoredPoint {
    const dense = new Map<string, Float32Array>();
    for (const [name, col] of this.dense) {
      if (col.has[slot]) dense.set(name, this.rowOf(col, slot).slice());
    }
    const sparse = new Map<string, SparseVec>();
    for (const [name, col] of this.sparse) {
      const v = col.vecs[slot];
      if (v) sparse.set(name, v);
    }
    return {
      id: this.ids[slot]!,
      version: this.versions[slot]!,
      payload: this.payloads[slot]!,
      dense,
      sparse,
    };
  }

  /** A view into the arena: valid until the next write to the collection, so copy it to keep it. */
  denseAt(name: string, slot: number): Float32Array | undefined {
    const col = this.dense.get(name);
    if (!col?.has[slot]) return undefined;
    return this.rowOf(col, slot);
  }

  private rowOf(col: DenseColumn, slot: number): Float32Array {
    const start = col.arena.offset(col.blocks[(slot / BLOCK_ROWS) | 0]!, slot % BLOCK_ROWS);
    return col.arena.view.subarray(start, start + col.arena.dim);
  }

  sparseAt(name: string, slot: number): SparseVec | undefined {
    return this.sparse.get(name)?.vecs[slot];
  }

  /**
   * Exact (brute-force) dense search over the live slots in `set`. Whole blocks go through the arena's
   * SIMD kernel; a selective filter scores just its few candidates instead.
   */
  searchDense(name: string, q: Float32Array, set: SlotSet, top: TopK<Ref>): void {
    const col = this.dense.get(name);
    if (!col || set.count === 0) return;
    const { arena, blocks, has } = col;
    const { mask, test } = set;
    const alive = this.alive;
    if (mask && set.count * 8 < this.size) {
      const view = arena.view;
      for (let slot = 0; slot < this.size; slot++) {
        if (!mask[slot] || !alive[slot] || !has[slot]) continue;
        if (test && !test(slot)) continue;
        const row = arena.offset(blocks[(slot / BLOCK_ROWS) | 0]!, slot % BLOCK_ROWS) / arena.dim;
        const score = dotAt(q, view, row);
        if (score > top.floor) top.push({ part: this, slot }, score);
      }
      return;
    }
    arena.setQuery(q);
    let floor = top.floor;
    for (let b = 0; b < blocks.length; b++) {
      const first = b * BLOCK_ROWS;
      const n = Math.min(BLOCK_ROWS, this.size - first);
      if (n <= 0) break;
      const scores = arena.scoreBlock(blocks[b]!, n);
      for (let r = 0; r < n; r++) {
        const score = scores[r]!;
        if (score <= floor) continue;
        const slot = first + r;
        if (!alive[slot] || !has[slot] || (mask && !mask[slot]) || (test && !test(slot))) continue;
        top.push({ part: this, slot }, score);
        floor = top.floor;
      }
    }
  }

  /** Scores `q · v` via the inverted index; only points sharing a term with the query are candidates. */
  searchSparse(name: string, terms: Uint32Array, weights: Float32Array, set: SlotSet, top: TopK<Ref>) {
    const col = this.sparse.get(name);
    if (!col || set.count === 0) return;
    const { mask, test } = set;
    if (this.size - col.indexed > Math.max(MIN_UNINDEXED_TAIL, col.indexed / 4))
      buildIndex(col, this.alive, this.size);
    if (this.scratch.length < this.size) {
      this.scratch = new Float32Array(this.alive.length);
      this.seen = new Uint8Array(this.alive.length);
    }
    const acc = this.scratch;
    const seen = this.seen;
    const touched: number[] = [];
    for (let t = 0; t < terms.length; t++) {
      const k = col.terms.get(terms[t]!);
      if (k === undefined) continue;
      const w = weights[t]!;
      const end = col.starts[k + 1]!;
      for (let i = col.starts[k]!; i < end; i++) {
        const s = col.slots[i]!;
        if (!seen[s]) {
          seen[s] = 1;
          touched.push(s);
        }
        acc[s] = acc[s]! + w * col.vals[i]!;
      }
    }
    for (const s of touched) {
      const score = acc[s]!;
      acc[s] = 0;
      seen[s] = 0;
      if (!this.alive[s] || col.vecs[s] === undefined || (mask && !mask[s])) continue;
      if (score > top.floor && (!test || test(s))) top.push({ part: this, slot: s }, score);
    }
    for (let s = col.indexed; s < this.size; s++) {
      const v = col.vecs[s];
      if (!v || !this.alive[s] || (mask && !mask[s])) continue;
      const score = sparseDot(terms, weights, v);
      if (Number.isNaN(score) || (test && !test(s))) continue;
      if (score > top.floor) top.push({ part: this, slot: s }, score);
    }
  }

  private denseColumn(name: string): DenseColumn {
    let col = this.dense.get(name);
    if (!col) {
      col = { arena: this.arenas.get(name)!, blocks: [], has: new Uint8Array(16) };
      this.dense.set(name, col);
    }
    return col;
  }
}

type Growable = Uint8Array | Int32Array | Float32Array;

function grow(arr: Growable, minLength: number): Growable {
  let len = Math.max(arr.length, 16);
  while (len < minLength) len *= 2;
  const next = new (arr.constructor as new (n: number) => Growable)(len);
  next.set(arr);
  return next;
}

/** Rebuilds a column's CSR inverted index over every live slot. */
function buildIndex(col: SparseColumn, alive: Uint8Array, size: number): void {
  const df = new Map<number, number>();
  for (let slot = 0; slot < size; slot++) {
    const v = col.vecs[slot];
    if (!v || !alive[slot]) continue;
    for (const t of v.indices) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const terms = new Map<number, number>();
  const starts = new Int32Array(df.size + 1);
  let k = 0;
  let total = 0;
  for (const [t, n] of df) {
    terms.set(t, k);
    starts[k++] = total;
    total += n;
  }
  starts[k] = total;
  const fill = starts.slice(0, k);
  const slots = new Int32Array(total);
  const vals = new Float32Array(total);
  for (let slot = 0; slot < size; slot++) {
    const v = col.vecs[slot];
    if (!v || !alive[slot]) continue;
    for (let i = 0; i < v.indices.length; i++) {
      const pos = fill[terms.get(v.indices[i]!)!]!++;
      slots[pos] = slot;
      vals[pos] = v.values[i]!;
    }
  }
  Object.assign(col, { indexed: size, terms, starts, slots, vals });
}

/** Dot product of a sorted sparse query with a sorted sparse vector; NaN when they share no term. */
function sparseDot(terms: Uint32Array, weights: Float32Array, v: SparseVec): number {
  let i = 0;
  let j = 0;
  let s = 0;
  let overlap = false;
  while (i < terms.length && j < v.indices.length) {
    const a = terms[i]!;
    const b = v.indices[j]!;
    if (a === b) {
      s += weights[i++]! * v.values[j++]!;
      overlap = true;
    } else if (a < b) i++;
    else j++;
  }
  return overlap ? s : Number.NaN;
}
