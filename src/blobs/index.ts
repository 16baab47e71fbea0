import { join } from "node:path";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { FsBlobStore } from "./fs-store.js";
import { PgBlobStore } from "./pg-store.js";
import type { BlobStore } from "./types.js";

export { FsBlobStore } from "./fs-store.js";
export { PgBlobStore } from "./pg-store.js";
export { BlobNotFoundError, type BlobStore } from "./types.js";

/** PostgreSQL when the database is shared (workers elsewhere must read uploads); else files in DATA_DIR. */
export function createBlobStore(config: Config, database: Database): BlobStore {
  return database.kind === "postgres"
    ? new PgBlobStore(database.db)
    : new FsBlobStore(join(config.DATA_DIR, "blobs"));
}
