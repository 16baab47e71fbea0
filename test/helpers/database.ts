import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Database } from "../../src/db/client.js";
import { openPglite } from "../../src/db/pglite.js";
import { openPostgres } from "../../src/db/postgres.js";

/** The machine's PostgreSQL (CI starts it); override with TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type DbKind = "pglite" | "postgres";

/**
 * A migrated, isolated database: PGlite in memory, or a fresh schema on the real PostgreSQL server
 * (dropped again by cleanup) so tests never see each other's rows.
 */
export type TestDatabase = Database & {
  cleanup(): Promise<void>;
  /** PostgreSQL schema (search_path) of this database. */
  schema?: string;
};

export async function openTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const db = await openPglite();
    await db.migrate();
    return Object.assign(db, { cleanup: () => db.close() });
  }
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const db = openPostgres({ url: TEST_DATABASE_URL, searchPath: schema, poolMax: 4 });
  await db.migrate();
  return Object.assign(db, {
    schema,
    cleanup: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  });
}
