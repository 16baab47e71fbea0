import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { decodeFrames, encodeOp, type Op } from "./codec.js";
import { Collection } from "./collection.js";
import { collectionNotFound, EngineError } from "./errors.js";
import type { StoredPoint } from "./partition.js";
import { layoutToJson, parseLayout } from "./vectors.js";
import { WriteAheadLog } from "./wal.js";

export const SNAPSHOT = "snapshot.bin";
const SNAPSHOT_CHUNK = 2048;
const MIN_COMPACTION_BYTES = 64 * 1024 * 1024;

export type Mutation = Op extends infer O ? (O extends Op ? Omit<O, "lsn"> : never) : never;

function walName(seq: number): string {
  return `wal-${String(seq).padStart(10, "0")}.log`;
}

function walSeqs(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => /^wal-(\d+)\.log$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * The engine's state and its durability. Every mutation is applied in memory and appended to the
 * write-ahead log under one sequence number; `commit` resolves once the log record is fsynced. When the
 * log outgrows the last snapshot it is compacted: a new snapshot (the live state, framed like log
 * records) is written beside the old one, renamed into place, and older log files are deleted.
 */
export class Store {
  readonly collections = new Map<string, Collection>();
  private lsn = 0;
  private walSeq = 0;
  private wal!: WriteAheadLog;
  private snapshotBytes = 0;
  private compacting: Promise<void> | null = null;
  private failed: unknown = null;

  private constructor(private readonly dir: string) {}

  static open(dir: string): Store {
    mkdirSync(dir, { recursive: true });
    const store = new Store(dir);
    store.recover();
    return store;
  }

  get(name: string): Collection {
    const col = this.collections.get(name);
    if (!col) throw collectionNotFound(name);
    return col;
  }

  /** Applies a mutation and logs it; `durable` resolves once the log record is on disk. */
  commit(m: Mutation): { lsn: number; durable: Promise<void> } {
    if (this.failed)
      throw new EngineError(500, `Service internal error: storage failed earlier: ${this.failed}`);
    const op = { ...m, lsn: ++this.lsn } as Op;
    // A point's version is the operation that last wrote it (Qdrant's ScoredPoint.version).
    if (op.op === "upsert") for (const p of op.points) p.version = op.lsn;
    this.apply(op);
    const durable = this.wal.append(encodeOp(op)).catch((e) => {
      this.failed = e;
      throw new EngineError(500, `Service internal error: failed to persist the write: ${e}`);
    });
    this.maybeCompact();
    return { lsn: op.lsn, durable };
  }

  async close(): Promise<void> {
    while (this.compacting) await this.compacting;
    await this.wal.drain();
    if (this.wal.bytes > 0) await this.compact();
    await this.wal.close();
  }

  private apply(op: Op): void {
    switch (op.op) {
      case "create": {
        const { vectors: _v, sparse_vectors: _s, ...rest } = op.body;
        this.collections.set(op.c, new Collection(op.c, parseLayout(op.body), rest));
        return;
      }
      case "mark":
        return;
      case "drop":
        this.collections.delete(op.c);
        return;
      case "index":
        this.collections.get(op.c)?.createIndex(op.field, op.schema);
        return;
      case "upsert":
        this.collections.get(op.c)?.upsert(op.points);
        return;
      case "delete":
        this.collections.get(op.c)?.delete(op.ids);
        return;
    }
  }

  private recover(): void {
    let snapshotLsn = 0;
    const snapPath = join(this.dir, SNAPSHOT);
    if (existsSync(snapPath)) {
      const buf = readFileSync(snapPath);
      this.snapshotBytes = buf.length;
      for (const op of decodeFrames(buf)) {
        this.apply(op);
        snapshotLsn = Math.max(snapshotLsn, op.lsn);
      }
    }
    this.lsn = snapshotLsn;
    let replayed = 0;
    const seqs = walSeqs(this.dir);
    for (const seq of seqs) {
      const buf = readFileSync(join(this.dir, walName(seq)));
      replayed += buf.length;
      for (const op of decodeFrames(buf)) {
        if (op.lsn <= this.lsn) continue;
        this.apply(op);
        this.lsn = op.lsn;
      }
    }
    // Always start a fresh log file: never append behind a possibly torn tail.
    this.walSeq = (seqs[seqs.length - 1] ?? 0) + 1;
    this.wal = new WriteAheadLog(join(this.dir, walName(this.walSeq)), this.dir);
    this.wal.bytes = replayed;
    this.maybeCompact();
  }

  private maybeCompact(): void {
    if (this.compacting) return;
    if (this.wal.bytes < Math.max(MIN_COMPACTION_BYTES, this.snapshotBytes)) return;
    // Deferred so the write that crossed the threshold is answered before the snapshot is built.
    this.compacting = new Promise<void>((r) => setImmediate(r))
      .then(() => this.compact())
      .catch(() => {
        // A failed compaction leaves the old snapshot and every log file in place: nothing is lost.
      })
      .finally(() => {
        this.compacting = null;
      });
  }

  /** Writes the state as of now to a new snapshot, then drops the log files it covers. */
  private async compact(): Promise<void> {
    const frames = this.snapshotFrames();
    const covered = walSeqs(this.dir).filter((s) => s <= this.walSeq);
    this.walSeq++;
    this.wal.rotate(join(this.dir, walName(this.walSeq)), this.dir);
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fh = await open(tmp, "w");
    try {
      for (let i = 0; i < frames.length; i += 64) await fh.writev(frames.slice(i, i + 64));
      await fh.sync();
    } finally {
      await fh.close();
    }
    renameSync(tmp, join(this.dir, SNAPSHOT));
    const dirFh = await open(this.dir, "r");
    await dirFh.sync();
    await dirFh.close();
    this.snapshotBytes = statSync(join(this.dir, SNAPSHOT)).size;
    for (const seq of covered) rmSync(join(this.dir, walName(seq)), { force: true });
  }

  /**
   * The live state as snapshot frames, built synchronously: no write can interleave, so it is the
   * state at one sequence number. Backups write it as `snapshot.bin` of a fresh data directory.
   */
  exportSnapshot(): { lsn: number; frames: Buffer[] } {
    return { lsn: this.lsn, frames: this.snapshotFrames() };
  }

  private snapshotFrames(): Buffer[] {
    const lsn = this.lsn;
    // The mark carries the snapshot's sequence number even when there is nothing else to write.
    const frames: Buffer[] = [encodeOp({ op: "mark", lsn })];
    for (const col of this.collections.values()) {
      const body = { ...col.createdWith, ...layoutToJson(col.layout) };
      frames.push(encodeOp({ op: "create", lsn, c: col.name, body }));
      for (const [field, schema] of col.payloadSchema) {
        frames.push(encodeOp({ op: "index", lsn, c: col.name, field, schema }));
      }
      let chunk: StoredPoint[] = [];
      for (const p of col.points()) {
        chunk.push(p);
        if (chunk.length === SNAPSHOT_CHUNK) {
          frames.push(encodeOp({ op: "upsert", lsn, c: col.name, points: chunk }));
          chunk = [];
        }
      }
      if (chunk.length > 0) frames.push(encodeOp({ op: "upsert", lsn, c: col.name, points: chunk }));
    }
    return frames;
  }
}
