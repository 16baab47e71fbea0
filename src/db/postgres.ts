import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { type Database, type Db, migrationsFolder, pingDatabase } from "./client.js";
import * as schema from "./schema.js";

export interface PostgresOptions {
  url: string;
  poolMax?: number;
  /** Run everything inside this schema (tests isolate themselves this way); created if missing. */
  searchPath?: string;
}

/** A PostgreSQL server over a connection pool; connections open lazily, so constructing never blocks. */
export function openPostgres(opts: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    options: opts.searchPath ? `-c search_path=${opts.searchPath}` : undefined,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  // Listening connections live outside the pool; closing the database ends them too.
  const listeners = new Set<pg.Client>();
  return {
    kind: "postgres",
    db,
    migrate: async () => {
      if (opts.searchPath) await pool.query(`create schema if not exists "${opts.searchPath}"`);
      await migrate(drizzle({ client: pool, schema }), {
        migrationsFolder: migrationsFolder(),
        migrationsSchema: opts.searchPath ?? "drizzle",
      });
    },
    ping: () => pingDatabase(db),
    close: async () => {
      await Promise.all([...listeners].map((client) => client.end().catch(() => {})));
      await pool.end();
    },
    listen: async (channel, onPayload, onLost) => {
      // LISTEN needs a connection of its own for as long as it listens (not one borrowed from the pool).
      const client = new pg.Client({
        connectionString: opts.url,
        options: opts.searchPath ? `-c search_path=${opts.searchPath}` : undefined,
      });
      let stopped = false;
      // After this, the connection's end is ours, not a loss to report.
      const forget = () => {
        stopped = true;
        listeners.delete(client);
      };
      const lost = () => {
        if (stopped) return;
        forget();
        onLost?.();
      };
      client.on("error", lost);
      client.on("end", lost);
      client.on("notification", (n) => {
        if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
      });
      listeners.add(client);
      try {
        await client.connect();
        await client.query(`LISTEN "${channel.replace(/"/g, "")}"`);
      } catch (err) {
        forget();
        await client.end().catch(() => {});
        throw err;
      }
      return async () => {
        forget();
        await client.end().catch(() => {});
      };
    },
  };
}
