import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { listOrganizations, setOrganizationSuspended } from "../../services/platform/platform.js";
import { errorResponses, jsonBody, jsonResponse, PageQuery } from "../common.js";
import { IdParam, PlatformOrg, platformCtx, security } from "./schema.js";

export const listRoute = createRoute({
  method: "get",
  path: "/platform/organizations",
  tags: ["Platform"],
  summary: "All organizations with member counts and suspension (platform administrator)",
  security,
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(PlatformOrg), next_cursor: z.string().nullable() }),
      "A page.",
    ),
    ...errorResponses(403),
  },
});

export const suspendRoute = createRoute({
  method: "post",
  path: "/platform/organizations/{id}/suspend",
  tags: ["Platform"],
  summary: "Suspend an organization: its keys and members' sessions lose access to it at once",
  security,
  request: {
    params: IdParam,
    body: jsonBody(
      z.strictObject({ reason: z.string().max(500).optional().openapi({ example: "unpaid invoices" }) }),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), suspended: z.boolean() }), "Suspended."),
    ...errorResponses(403, 404),
  },
});

export const restoreRoute = createRoute({
  method: "post",
  path: "/platform/organizations/{id}/restore",
  tags: ["Platform"],
  summary: "Lift an organization's suspension",
  security,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), suspended: z.boolean() }), "Restored."),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const page = await listOrganizations(platformCtx(c), c.req.valid("query"));
    return c.json(
      {
        data: page.items.map((r) => ({
          id: r.tenant.id,
          name: r.tenant.name,
          members: Number(r.members),
          suspended: r.suspendedAt !== null,
          created_at: r.tenant.createdAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      },
      200,
    );
  });
  app.openapi(suspendRoute, async (c) => {
    const id = c.req.valid("param").id;
    await setOrganizationSuspended(platformCtx(c), id, true, c.req.valid("json").reason ?? "");
    return c.json({ id, suspended: true }, 200);
  });
  app.openapi(restoreRoute, async (c) => {
    const id = c.req.valid("param").id;
    await setOrganizationSuspended(platformCtx(c), id, false);
    return c.json({ id, suspended: false }, 200);
  });
}
