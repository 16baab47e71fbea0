import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import type { invitations } from "../../db/schema.js";
import { createInvitation, listInvitations, revokeInvitation } from "../../services/orgs/invitations.js";
import { Email, RoleSchema } from "../auth/schema.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { InvitationSchema, OrgParam, orgCtx, security } from "./schema.js";

const toInvitation = (r: typeof invitations.$inferSelect) => ({
  id: r.id,
  email: r.email,
  role: r.role as z.infer<typeof RoleSchema>,
  expires_at: r.expiresAt.toISOString(),
  created_at: r.createdAt.toISOString(),
});

export const createRouteDef = createRoute({
  method: "post",
  path: "/orgs/{orgId}/invitations",
  tags: ["Organizations"],
  summary:
    "Invite someone by email (members.manage; inviting an owner needs owners.manage); expires in 7 days",
  security,
  request: {
    params: OrgParam,
    body: jsonBody(
      z
        .strictObject({
          email: Email,
          role: RoleSchema,
          locale: z
            .string()
            .max(35)
            .optional()
            .openapi({ description: "Language of the invitation e-mail.", example: "zh-CN" }),
        })
        .openapi("CreateInvitation", { example: { email: "grace@example.com", role: "developer" } }),
    ),
  },
  responses: { 201: jsonResponse(InvitationSchema, "Invitation sent."), ...errorResponses(403, 404, 409) },
});

export const listRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/invitations",
  tags: ["Organizations"],
  summary: "Pending invitations (members.manage)",
  security,
  request: { params: OrgParam },
  responses: {
    200: jsonResponse(z.object({ data: z.array(InvitationSchema) }), "Pending invitations."),
    ...errorResponses(403, 404),
  },
});

export const revokeRoute = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/invitations/{id}",
  tags: ["Organizations"],
  summary: "Withdraw a pending invitation (members.manage)",
  security,
  request: { params: OrgParam.extend({ id: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(InvitationSchema, "Withdrawn."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(createRouteDef, async (c) => {
    const b = c.req.valid("json");
    const ctx = orgCtx(c, c.req.valid("param").orgId, "members.manage");
    const row = await createInvitation({
      ctx,
      input: { email: b.email, role: b.role, ...(b.locale ? { locale: b.locale } : {}) },
    });
    return c.json(toInvitation(row), 201);
  });
  app.openapi(listRoute, async (c) => {
    const rows = await listInvitations(orgCtx(c, c.req.valid("param").orgId, "members.manage"));
    return c.json({ data: rows.map(toInvitation) }, 200);
  });
  app.openapi(revokeRoute, async (c) => {
    const p = c.req.valid("param");
    const row = await revokeInvitation({ ctx: orgCtx(c, p.orgId, "members.manage"), input: { id: p.id } });
    return c.json(toInvitation(row), 200);
  });
}
