import type { Db } from "../../db/client.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { tenants } from "../../db/schema.js";

export async function listTenants({ ctx, input }: { ctx: { db: Db }; input: PageInput }) {
  return keysetPage(ctx.db.select().from(tenants).$dynamic(), input, {
    by: tenants.id,
  });
}
