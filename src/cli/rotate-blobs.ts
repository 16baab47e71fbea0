// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { createBlobStore } from "../blobs/index.js";
import { rotateBlobs } from "../blobs/rotate.js";
import { ConfigError, parseConfig } from "../config.js";
import { openConfiguredDatabase } from "../runtime/database.js";

/**
 * `npm run blobs:rotate`: re-encrypts every stored original with the first key of BLOB_ENCRYPTION_KEYS.
 * Embedded profile: stop the service first (one process owns the PGlite data directory).
 */
try {
  const config = parseConfig(process.env);
  const first = config.BLOB_ENCRYPTION_KEYS?.[0];
  if (!first) throw new ConfigError("BLOB_ENCRYPTION_KEYS is not set: there is no key to rotate to.");
  const database = await openConfiguredDatabase(config);
  try {
    const r = await rotateBlobs(database.db, createBlobStore(config, database));
    console.log(
      `blobs now under key "${first.id}": ${r.rotated} re-encrypted, ${r.current} already current, ${r.missing} missing`,
    );
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `rotation failed: ${(err as Error).message}`);
  process.exit(1);
}
