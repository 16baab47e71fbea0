import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isEncrypted, keyIdOf } from "../../src/blobs/encryption.js";
import { BlobDecryptionError, EncryptedBlobStore, FsBlobStore } from "../../src/blobs/index.js";
import { rotateBlobs } from "../../src/blobs/rotate.js";
import { parseConfig } from "../../src/config.js";
import { documents, documentVersions, knowledgeBases, tenants } from "../../src/db/schema.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };
const original = new TextEncoder().encode("Quarterly report: revenue grew 12% in the north region.");
const T = { tenantId: "t_1" };

describe("encryption at rest of stored originals", () => {
  let dir: string;
  let fs: FsBlobStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aihub-blobenc-"));
    fs = new FsBlobStore(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("round-trips, and what lands on disk is ciphertext naming its key", async () => {
    const store = new EncryptedBlobStore(fs, [k1]);
    await store.put("t_1/v_a", original, T);
    const onDisk = await readFile(join(dir, "t_1/v_a"));
    expect(isEncrypted(onDisk)).toBe(true);
    expect(keyIdOf(onDisk)).toBe("k1");
    expect(onDisk.includes(Buffer.from("revenue"))).toBe(false);
    expect(Buffer.from(await store.get("t_1/v_a")).equals(Buffer.from(original))).toBe(true);
  });

  it("detects tampering with a clear error", async () => {
    const store = new EncryptedBlobStore(fs, [k1]);
    await store.put("t_1/v_b", original, T);
    const path = join(dir, "t_1/v_b");
    const bytes = await readFile(path);
    bytes[bytes.length - 3]! ^= 0x01;
    await writeFile(path, bytes);
    await expect(store.get("t_1/v_b")).rejects.toThrow(BlobDecryptionError);
    await expect(store.get("t_1/v_b")).rejects.toThrow(
      /authentication failed \(the file was altered or damaged\)/,
    );
    // Moving one blob's ciphertext under another name fails too (the name is authenticated).
    await store.put("t_1/v_c", original, T);
    await writeFile(join(dir, "t_1/v_d"), await readFile(join(dir, "t_1/v_c")));
    await expect(store.get("t_1/v_d")).rejects.toThrow(/authentication failed/);
  });

  it("reads legacy plaintext blobs, and names a missing key", async () => {
    await fs.put("t_1/legacy", original, T);
    expect(Buffer.from(await new EncryptedBlobStore(fs, [k1]).get("t_1/legacy"))).toEqual(
      Buffer.from(original),
    );
    await new EncryptedBlobStore(fs, [k2]).put("t_1/v_k2", original, T);
    await expect(new EncryptedBlobStore(fs, [k1]).get("t_1/v_k2")).rejects.toThrow(
      /encrypted with key "k2", which BLOB_ENCRYPTION_KEYS no longer lists/,
    );
    await expect(new EncryptedBlobStore(fs, []).get("t_1/v_k2")).rejects.toThrow(
      /BLOB_ENCRYPTION_KEYS is not set/,
    );
  });

  it("parses BLOB_ENCRYPTION_KEYS and refuses bad keys by name", () => {
    const env = (v: string) => ({ BLOB_ENCRYPTION_KEYS: v });
    const good = `k2:${k2.key.toString("base64")}, k1:${k1.key.toString("base64")}`;
    expect(parseConfig(env(good)).BLOB_ENCRYPTION_KEYS?.map((k) => k.id)).toEqual(["k2", "k1"]);
    expect(() => parseConfig(env(`k1:${randomBytes(16).toString("base64")}`))).toThrow(
      /BLOB_ENCRYPTION_KEYS/,
    );
    expect(() => parseConfig(env(`k1:${k1.key.toString("base64")},k1:${k2.key.toString("base64")}`))).toThrow(
      /appears twice/,
    );
  });
});

describe("key rotation (npm run blobs:rotate)", () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aihub-blobrot-"));
    db = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("re-encrypts legacy and old-key blobs under the new key; old keys still decrypt meanwhile", async () => {
    const fs = new FsBlobStore(dir);
    await db.db.insert(tenants).values({ id: "t_1", name: "Acme" });
    await db.db
      .insert(knowledgeBases)
      .values({ id: "kb_1", tenantId: "t_1", name: "kb", chunkSize: 512, chunkOverlap: 64 } as never);
    const keys = ["t_1/plain", "t_1/old", "t_1/gone"];
    for (const [i, key] of keys.entries()) {
      await db.db
        .insert(documents)
        .values({ id: `doc_${i}`, tenantId: "t_1", kbId: "kb_1", title: "a", filename: "a.txt" } as never);
      await db.db.insert(documentVersions).values({
        id: `ver_${i}`,
        documentId: `doc_${i}`,
        tenantId: "t_1",
        kbId: "kb_1",
        sha256: String(i),
        format: "txt",
        sizeBytes: original.length,
        blobKey: key,
        status: "ready",
      } as never);
    }
    await fs.put("t_1/plain", original, T);
    await new EncryptedBlobStore(fs, [k1]).put("t_1/old", original, T);

    // Rotation step 1: the new key first, the old one kept.
    const store = new EncryptedBlobStore(fs, [k2, k1]);
    expect(Buffer.from(await store.get("t_1/old"))).toEqual(Buffer.from(original));
    expect(await rotateBlobs(db.db, store)).toEqual({ rotated: 2, current: 0, missing: 1 });
    for (const key of ["t_1/plain", "t_1/old"]) expect(keyIdOf(await fs.get(key))).toBe("k2");
    expect(await rotateBlobs(db.db, store)).toEqual({ rotated: 0, current: 2, missing: 1 });

    // Step 2: the old key dropped; everything still reads.
    const after = new EncryptedBlobStore(fs, [k2]);
    for (const key of ["t_1/plain", "t_1/old"])
      expect(Buffer.from(await after.get(key))).toEqual(Buffer.from(original));
  });
});
