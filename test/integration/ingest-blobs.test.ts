import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobNotFoundError, type BlobStore, FsBlobStore, PgBlobStore } from "../../src/blobs/index.js";
import { openTestDatabase } from "../helpers/database.js";

const stores: [string, () => Promise<{ store: BlobStore; cleanup(): Promise<void> }>][] = [
  [
    "files",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "aihub-blobs-"));
      return { store: new FsBlobStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  [
    "postgres",
    async () => {
      const db = await openTestDatabase("postgres");
      return { store: new PgBlobStore(db.db), cleanup: db.cleanup };
    },
  ],
];

describe.each(stores)("blob store on %s", (_name, open) => {
  let store: BlobStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await open());
  });
  afterAll(async () => cleanup?.());

  it("round-trips bytes exactly and reports the bytes it frees", async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131) % 256);
    await store.put("ten_a/ver_1", bytes, { tenantId: "ten_a" });
    expect(Buffer.from(await store.get("ten_a/ver_1")).equals(Buffer.from(bytes))).toBe(true);
    // Writing the same key again replaces it.
    await store.put("ten_a/ver_1", bytes.subarray(0, 10), { tenantId: "ten_a" });
    expect((await store.get("ten_a/ver_1")).length).toBe(10);
    expect(await store.delete("ten_a/ver_1")).toBe(10);
    expect(await store.delete("ten_a/ver_1")).toBe(0);
    await expect(store.get("ten_a/ver_1")).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("rejects keys that could escape the store", async () => {
    await expect(store.put("../etc/passwd", new Uint8Array(1), { tenantId: "t" })).rejects.toThrow(
      /invalid blob key/,
    );
    await expect(store.put("a//b", new Uint8Array(1), { tenantId: "t" })).rejects.toThrow(/invalid blob key/);
  });
});

describe("file blob store", () => {
  it("leaves no temporary files behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aihub-blobs-"));
    const store = new FsBlobStore(dir);
    await store.put("t/v", new Uint8Array([1, 2, 3]), { tenantId: "t" });
    expect(await readdir(join(dir, "t"))).toEqual(["v"]);
    await rm(dir, { recursive: true, force: true });
  });
});
