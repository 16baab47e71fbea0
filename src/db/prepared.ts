import type { Db } from "./client.js";

/**
 * A statement that every request runs (the key lookup, the ledger row, ...), built once per database
 * instead of once per call: drizzle's query building was a tenth of an API process's CPU per ask, and
 * a named statement is parsed and planned by PostgreSQL once per connection rather than per query.
 * Cached per database object (tests and transactions each have their own), never across them.
 *
 * `build` must call `.prepare(name)` with a name no other statement uses: the name is what
 * PostgreSQL caches the parsed statement under on each connection.
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let stmt = cache.get(db);
    if (stmt === undefined) {
      stmt = build(db);
      cache.set(db, stmt);
    }
    return stmt;
  };
}
