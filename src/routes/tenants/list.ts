import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePlatform } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listTenants } from "../../services/tenants/list.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { TenantSchema, toTenant } from "./schema.js";

const ListTenantsResponse = z.object({ data: z.array(TenantSchema), next_cursor: z.string().nullable() });

export const route = createRoute({
  method: "get",
  path: "/tenants",
  tags: ["Tenants"],
  summary: "List tenants (platform admin key only)",
  security,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(ListTenantsResponse, "A page of tenants."), ...errorResponses(403) },
});

export type ListTenantsResult = z.infer<typeof ListTenantsResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    requirePlatform(c.get("auth"));
    const q = c.req.valid("query");
    const page = await listTenants({ ctx: { db: c.get("deps").database.db }, input: q });
    return c.json({ data: page.items.map(toTenant), next_cursor: page.nextCursor }, 200);
  });
}
