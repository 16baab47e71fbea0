import { join } from "node:path";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { openPostgres } from "../db/postgres.js";

/** DATABASE_URL selects PostgreSQL; otherwise embedded PGlite under DATA_DIR/pg. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    return openPostgres({
      url: config.DATABASE_URL,
      poolMax: config.DATABASE_POOL_MAX,
      searchPath: config.DATABASE_SCHEMA,
    });
  }
  // Imported lazily so production and edge bundles never load the WASM Postgres.
  const { openPglite } = await import("../db/pglite.js");
  return openPglite(join(config.DATA_DIR, "pg"));
}
