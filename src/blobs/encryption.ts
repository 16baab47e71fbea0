import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { BlobNotFoundError, type BlobStore } from "./types.js";

/** A named AES-256 key; the id is stored in each blob so old keys keep decrypting after rotation. */
export interface BlobKey {
  id: string;
  key: Buffer;
}

/**
 * Layout of an encrypted blob: MAGIC, key-id length (1 byte), key id (ASCII), 12-byte IV, 16-byte GCM
 * tag, ciphertext. Blobs without the magic are legacy plaintext and read as they are. The magic starts
 * with a NUL and spells a name no upload format begins with.
 */
const MAGIC = Buffer.from("\0AIHUB-AES256GCM\x01", "latin1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class BlobDecryptionError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`The stored original ${key} cannot be decrypted: ${reason}.`);
    this.name = "BlobDecryptionError";
  }
}

export function isEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** The key id an encrypted blob names (null for legacy plaintext). */
export function keyIdOf(bytes: Uint8Array): string | null {
  if (!isEncrypted(bytes)) return null;
  const len = bytes[MAGIC.length]!;
  return Buffer.from(bytes.subarray(MAGIC.length + 1, MAGIC.length + 1 + len)).toString("latin1");
}

export function encryptBlob(plain: Uint8Array, k: BlobKey, aad: string): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", k.key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const id = Buffer.from(k.id, "latin1");
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** `aad` binds a blob to its key (name), so one tenant's ciphertext cannot be moved under another name. */
export function decryptBlob(stored: Uint8Array, keys: readonly BlobKey[], aad: string): Uint8Array {
  if (!isEncrypted(stored)) return stored;
  const buf = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const id = keyIdOf(buf)!;
  const k = keys.find((x) => x.id === id);
  if (!k) {
    throw new BlobDecryptionError(
      aad,
      keys.length
        ? `it was encrypted with key "${id}", which BLOB_ENCRYPTION_KEYS no longer lists (keep old keys until npm run blobs:rotate has run)`
        : `it was encrypted with key "${id}" but BLOB_ENCRYPTION_KEYS is not set`,
    );
  }
  const at = MAGIC.length + 1 + id.length;
  const iv = buf.subarray(at, at + IV_BYTES);
  const tag = buf.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES);
  if (tag.length !== TAG_BYTES) throw new BlobDecryptionError(aad, "it is truncated");
  const decipher = createDecipheriv("aes-256-gcm", k.key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  try {
    return new Uint8Array(
      Buffer.concat([decipher.update(buf.subarray(at + IV_BYTES + TAG_BYTES)), decipher.final()]),
    );
  } catch {
    throw new BlobDecryptionError(aad, "authentication failed (the file was altered or damaged)");
  }
}

/**
 * Encryption at rest over any BlobStore: writes with the first key (or plaintext when no key is
 * configured), reads whichever key a blob names, and legacy plaintext blobs as they are.
 */
export class EncryptedBlobStore implements BlobStore {
  constructor(
    readonly inner: BlobStore,
    private readonly keys: readonly BlobKey[],
  ) {}

  get kind() {
    return this.inner.kind;
  }

  async put(key: string, bytes: Uint8Array, opts: { tenantId: string }): Promise<void> {
    const current = this.keys[0];
    await this.inner.put(key, current ? encryptBlob(bytes, current, key) : bytes, opts);
  }

  async get(key: string): Promise<Uint8Array> {
    return decryptBlob(await this.inner.get(key), this.keys, key);
  }

  delete(key: string): Promise<number> {
    return this.inner.delete(key);
  }

  async replace(key: string, bytes: Uint8Array): Promise<boolean> {
    const current = this.keys[0];
    return this.inner.replace(key, current ? encryptBlob(bytes, current, key) : bytes);
  }

  /**
   * Re-encrypts one blob with the current key when it is plaintext or names another key; returns
   * whether it wrote. The plaintext is checked (GCM) before anything is overwritten, and a blob deleted
   * meanwhile stays deleted.
   */
  async rotate(key: string): Promise<boolean> {
    const current = this.keys[0];
    if (!current) throw new Error("BLOB_ENCRYPTION_KEYS is not set: there is no key to rotate to.");
    const stored = await this.inner.get(key);
    if (keyIdOf(stored) === current.id) return false;
    if (!(await this.replace(key, decryptBlob(stored, this.keys, key)))) throw new BlobNotFoundError(key);
    return true;
  }
}
