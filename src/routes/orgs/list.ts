import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { organizationsOf } from "../../services/accounts/sessions.js";
import { createOrganization } from "../../services/orgs/orgs.js";
import { accountCtx, OrgRef } from "../auth/schema.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { security } from "./schema.js";

export const listRoute = createRoute({
  method: "get",
  path: "/orgs",
  tags: ["Organizations"],
  summary: "Organizations you belong to, with your role in each",
  security,
  responses: {
    200: jsonResponse(z.object({ data: z.array(OrgRef) }), "Your organizations."),
    ...errorResponses(403),
  },
});

export const createRouteDef = createRoute({
  method: "post",
  path: "/orgs",
  tags: ["Organizations"],
  summary: "Create another organization and become its owner (SIGNUP=open, or platform administrator)",
  security,
  request: {
    body: jsonBody(
      z.strictObject({ name: z.string().trim().min(1).max(200).openapi({ example: "Acme Research" }) }),
    ),
  },
  responses: { 201: jsonResponse(OrgRef, "The new organization."), ...errorResponses(403) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const ctx = accountCtx(c);
    const orgs = await organizationsOf(ctx.deps.database.db, ctx.auth.userId);
    return c.json({ data: orgs.map((o) => ({ ...o, role: o.role as z.infer<typeof OrgRef>["role"] })) }, 200);
  });
  app.openapi(createRouteDef, async (c) => {
    const org = await createOrganization({ ctx: accountCtx(c), input: c.req.valid("json") });
    return c.json({ id: org.id, name: org.name, role: "owner" as const }, 201);
  });
}
