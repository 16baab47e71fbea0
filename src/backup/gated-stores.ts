import type { BlobStore } from "../blobs/types.js";
import type { ChunkPoint, Hit, Selector, VectorIndex, VectorQuery } from "../vector/types.js";
import type { WriteGate } from "./gate.js";

/** A VectorIndex whose writes pass the backup's write barrier; reads never wait. */
export class GatedVectorIndex implements VectorIndex {
  constructor(
    private readonly inner: VectorIndex,
    private readonly gate: WriteGate,
  ) {}
  ensureReady(): Promise<void> {
    return this.gate.write(() => this.inner.ensureReady());
  }
  upsert(tenantId: string, points: ChunkPoint[]): Promise<void> {
    return this.gate.write(() => this.inner.upsert(tenantId, points));
  }
  delete(tenantId: string, sel: Selector): Promise<number> {
    return this.gate.write(() => this.inner.delete(tenantId, sel));
  }
  query(tenantId: string, q: VectorQuery): Promise<Hit[]> {
    return this.inner.query(tenantId, q);
  }
  count(tenantId: string, sel: Selector): Promise<number> {
    return this.inner.count(tenantId, sel);
  }
  ping(): Promise<boolean> {
    return this.inner.ping();
  }
}

/** A BlobStore whose writes and deletes pass the backup's write barrier. */
export class GatedBlobStore implements BlobStore {
  constructor(
    private readonly inner: BlobStore,
    private readonly gate: WriteGate,
  ) {}
  get kind() {
    return this.inner.kind;
  }
  put(key: string, bytes: Uint8Array, opts: { tenantId: string }): Promise<void> {
    return this.gate.write(() => this.inner.put(key, bytes, opts));
  }
  get(key: string): Promise<Uint8Array> {
    return this.inner.get(key);
  }
  replace(key: string, bytes: Uint8Array): Promise<boolean> {
    return this.gate.write(() => this.inner.replace(key, bytes));
  }
  delete(key: string): Promise<number> {
    return this.gate.write(() => this.inner.delete(key));
  }
}
