// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { restoreBackup } from "../backup/restore.js";
import { loadConfigOrExit, profileOf } from "../config.js";

/**
 * `npm run restore -- FILE [--force]`: unpacks a backup into DATA_DIR (database, vectors, originals).
 * Run it with the service stopped; start the service afterwards. The same BLOB_ENCRYPTION_KEYS must
 * be configured: originals are restored as stored (encrypted).
 */
const { values, positionals } = parseArgs({
  options: { force: { type: "boolean", default: false } },
  allowPositionals: true,
});
const config = loadConfigOrExit(process.env);
const file = positionals[0];
if (!file) {
  console.error(
    "usage: npm run restore -- FILE [--force]   (restores into DATA_DIR; stop the service first)",
  );
  process.exit(2);
}
if (profileOf(config) !== "embedded") {
  console.error(
    "DATABASE_URL is set: this restores the embedded profile only. Restore PostgreSQL with pg_restore and Qdrant from its snapshot (README).",
  );
  process.exit(2);
}
try {
  const { manifest, blobs } = await restoreBackup({
    archive: await readFile(file),
    dataDir: config.DATA_DIR,
    force: values.force,
  });
  console.log(
    `restored ${file} into ${config.DATA_DIR}: point in time ${manifest.created_at}, ${blobs} originals; start the service with this DATA_DIR`,
  );
} catch (err) {
  console.error(`restore failed: ${(err as Error).message}`);
  process.exit(1);
}
