import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * `CASE col WHEN k1 THEN v1 ... END::type`: one value per row in a multi-row UPDATE ... WHERE id IN
 * (...), which PGlite and PostgreSQL both run as one statement (batched writes, issue 18).
 */
export function caseOf(col: AnyPgColumn, values: Map<string, unknown>, type: string): SQL {
  const arms = [...values].map(([k, v]) => sql`when ${k} then ${v}`);
  return sql`(case ${col} ${sql.join(arms, sql` `)} end)::${sql.raw(type)}`;
}
