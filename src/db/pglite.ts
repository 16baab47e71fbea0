import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { type Database, type Db, migrationsFolder, pingDatabase } from "./client.js";
import * as schema from "./schema.js";

/**
 * Postgres's default 128 MB of shared buffers lives in PGlite's WASM heap, which never shrinks: with
 * it, the embedded database alone held ~250 MB resident after a day's writes. The embedded profile's
 * tables are small and PGlite reads its files through the OS page cache anyway, so 16 MB is plenty.
 */
const START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

/** Embedded Postgres: one process owns the data directory (pass no dir for an in-memory database). */
export async function openPglite(dir?: string): Promise<Database> {
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await initializeDataDir(dir);
  }
  const client = new PGlite(dir, { startParams: START_PARAMS });
  await client.waitReady;
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    migrate: () => migrate(drizzle({ client, schema }), { migrationsFolder: migrationsFolder() }),
    ping: () => pingDatabase(db),
    close: () => client.close(),
    // The transaction lock first: a dump never lands between the statements of an open transaction.
    dumpDataDir: () => client._runExclusiveTransaction(() => client.dumpDataDir("gzip")),
    listen: async (channel, onPayload) => {
      const stop = await client.listen(channel, onPayload);
      return async () => stop();
    },
  };
}

const INIT_SCRIPT = `
const { PGlite } = require(process.argv[1]);
(async () => {
  const db = new PGlite(process.argv[2]);
  await db.waitReady;
  await db.close();
})().catch((err) => { console.error(err); process.exit(1); });
`;

/**
 * Creates a new data directory (initdb) in a short-lived child process. Initdb runs two extra WASM
 * instances whose memory this process would never fully get back (~150 MB resident for as long as
 * the server runs); a child returns it all when it exits. Only the first start pays for this.
 */
async function initializeDataDir(dir: string): Promise<void> {
  if (existsSync(join(dir, "PG_VERSION"))) return;
  const pglite = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  try {
    await promisify(execFile)(process.execPath, ["-e", INIT_SCRIPT, pglite, dir], { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(
      `Could not create the embedded database in ${dir}${stderr ? `: ${stderr}` : ""}. Check that the directory is writable and the disk has space, or set DATABASE_URL to use PostgreSQL.`,
      { cause: error },
    );
  }
}
