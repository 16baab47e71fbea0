import { asc, gt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { tenants } from "../../db/schema.js";

export async function listTenants({
  ctx,
  input,
}: {
  ctx: { db: Db };
  input: { limit: number; cursor?: string };
}) {
  const rows = await ctx.db
    .select()
    .from(tenants)
    .where(input.cursor ? gt(tenants.id, input.cursor) : undefined)
    .orderBy(asc(tenants.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
}
