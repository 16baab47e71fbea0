import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { requirePlatform } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createTenant } from "../../services/tenants/create.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { toKeyCreated } from "../keys/schema.js";
import { usdToMicros } from "../money.js";
import { CreateTenantBody, CreateTenantResponse, toTenant } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/tenants",
  tags: ["Tenants"],
  summary: "Create a tenant and its first tenant-admin key (platform admin key only)",
  security,
  request: { body: jsonBody(CreateTenantBody) },
  responses: {
    201: jsonResponse(CreateTenantResponse, "The tenant and its admin key; the key is shown only once."),
    ...errorResponses(403),
  },
});

export type CreateTenantRequest = z.infer<typeof CreateTenantBody>;
export type CreateTenantResult = z.infer<typeof CreateTenantResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const auth = c.get("auth");
    requirePlatform(auth);
    const body = c.req.valid("json");
    const { tenant, key } = await createTenant({
      ctx: { db: c.get("deps").database.db, auth, requestId: c.get("requestId") },
      input: {
        name: body.name,
        monthlyBudgetMicros: body.monthly_budget_usd == null ? null : usdToMicros(body.monthly_budget_usd),
      },
    });
    return c.json({ tenant: toTenant(tenant), key: toKeyCreated(key) }, 201);
  });
}
