import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.js";

/** The drizzle database, whichever driver is underneath (PGlite or node-postgres). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly db: Db;
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * The embedded database's files as a gzipped tar, taken between transactions (PGlite only): what
   * `new PGlite(dir, { loadDataDir })` restores. PostgreSQL is backed up with pg_dump instead.
   */
  dumpDataDir?(): Promise<Blob>;
  /**
   * LISTENs on a channel (PostgreSQL NOTIFY, also within PGlite); resolves to a function that stops.
   * `onLost` is called if the listening connection fails later (notifications may then be missed).
   * Absent where the driver cannot (the edge): callers fall back to reading on a timer.
   */
  listen?(
    channel: string,
    onPayload: (payload: string) => void,
    onLost?: () => void,
  ): Promise<() => Promise<void>>;
}

/**
 * Folder of the drizzle-kit migrations, resolved from this file so it works from any cwd. A function,
 * not a constant: on the edge import.meta.url is not a file URL, and migrations are never run there.
 */
export const migrationsFolder = () => new URL("./migrations", import.meta.url).pathname;

/** Readiness probe shared by both drivers: true when a trivial query answers. */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
