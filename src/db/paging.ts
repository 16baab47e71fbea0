import { type AnyColumn, and, asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";

type RowOf<Q> = Awaited<Q> extends (infer R)[] ? R : never;
type CursorValue = string | number;

/** Rows with an `id` page by it; any other row shape says which of its values is the cursor. */
type CursorOf<Row> = Row extends { id: string }
  ? { cursorOf?: (row: Row) => CursorValue }
  : { cursorOf: (row: Row) => CursorValue };

export type KeysetOptions<Row> = {
  /** A unique column the rows are ordered by; the cursor is its value on the last row of a page. */
  by: AnyColumn;
  /** "asc": oldest first (ids are time-ordered), the default; "desc": newest first. */
  order?: "asc" | "desc";
  /** The list's own conditions (tenant, parent, filters); the cursor's condition is added to them. */
  where?: (SQL | undefined)[];
} & CursorOf<Row>;

/** What a list verb takes: how many rows, and where the previous page ended. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

export interface KeysetPage<Row> {
  items: Row[];
  /** What to pass as the cursor for the next page; null on the last page. */
  nextCursor: string | null;
  hasMore: boolean;
}

/**
 * The one keyset ("cursor") page of every list: rows after the cursor in the order of `by`, `limit`
 * of them. One row more than asked is read to know whether another page follows. An empty cursor is
 * no cursor. The query is a dynamic select (`.$dynamic()`) without its own where, order or limit.
 */
export async function keysetPage<Q extends PgSelect>(
  query: Q,
  input: { limit: number; cursor?: CursorValue | undefined },
  opts: KeysetOptions<RowOf<Q>>,
): Promise<KeysetPage<RowOf<Q>>> {
  const descending = opts.order === "desc";
  const { cursor, limit } = input;
  const after = cursor === undefined || cursor === "" ? undefined : (descending ? lt : gt)(opts.by, cursor);
  const rows = (await query
    .where(and(...(opts.where ?? []), after))
    .orderBy(descending ? desc(opts.by) : asc(opts.by))
    .limit(limit + 1)) as RowOf<Q>[];
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const cursorOf = (opts.cursorOf ?? ((row: { id: string }) => row.id)) as (row: RowOf<Q>) => CursorValue;
  return { items, hasMore, nextCursor: hasMore ? String(cursorOf(items[items.length - 1]!)) : null };
}
