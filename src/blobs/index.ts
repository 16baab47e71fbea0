import { join } from "node:path";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { EncryptedBlobStore } from "./encryption.js";
import { FsBlobStore } from "./fs-store.js";
import { PgBlobStore } from "./pg-store.js";
import type { BlobStore } from "./types.js";

export { BlobDecryptionError, EncryptedBlobStore } from "./encryption.js";
export { FsBlobStore } from "./fs-store.js";
export { PgBlobStore } from "./pg-store.js";
export { BlobNotFoundError, type BlobStore } from "./types.js";

/**
 * PostgreSQL when the database is shared (workers elsewhere must read uploads); else files in DATA_DIR.
 * Always behind the encryption layer: with no BLOB_ENCRYPTION_KEYS it writes plaintext, and it still
 * names the missing key when asked for an encrypted blob.
 */
export function createBlobStore(config: Config, database: Database): EncryptedBlobStore {
  const store: BlobStore =
    database.kind === "postgres"
      ? new PgBlobStore(database.db)
      : new FsBlobStore(join(config.DATA_DIR, "blobs"));
  return new EncryptedBlobStore(store, config.BLOB_ENCRYPTION_KEYS ?? []);
}
