import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { changeRole, listMembers, removeMember } from "../../services/orgs/members.js";
import { RoleSchema } from "../auth/schema.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { MemberSchema, OrgParam, orgCtx, security } from "./schema.js";

const MemberParam = OrgParam.extend({ userId: z.string().min(1).max(64) });

export const listRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/members",
  tags: ["Organizations"],
  summary: "Members and their roles (members.read)",
  security,
  request: { params: OrgParam },
  responses: {
    200: jsonResponse(z.object({ data: z.array(MemberSchema) }), "Members."),
    ...errorResponses(403, 404),
  },
});

export const updateRoute = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/members/{userId}",
  tags: ["Organizations"],
  summary:
    "Change a member's role (members.manage; the owner role needs owners.manage; the last owner stays)",
  security,
  request: {
    params: MemberParam,
    body: jsonBody(z.strictObject({ role: RoleSchema }).openapi("ChangeRole")),
  },
  responses: {
    200: jsonResponse(z.object({ user_id: z.string(), role: RoleSchema }), "New role."),
    ...errorResponses(403, 404, 409),
  },
});

export const removeRoute = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/members/{userId}",
  tags: ["Organizations"],
  summary: "Remove a member, or leave (your own user id); the member's API keys here are revoked",
  security,
  request: { params: MemberParam },
  responses: {
    200: jsonResponse(z.object({ removed: z.literal(true), keys_revoked: z.number().int() }), "Removed."),
    ...errorResponses(403, 404, 409),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const rows = await listMembers(orgCtx(c, c.req.valid("param").orgId, "members.read"));
    return c.json(
      {
        data: rows.map((r) => ({
          user_id: r.userId,
          email: r.email,
          name: r.name,
          role: r.role as z.infer<typeof RoleSchema>,
          two_factor: r.twoFactor !== null,
          joined_at: r.joinedAt.toISOString(),
        })),
      },
      200,
    );
  });
  app.openapi(updateRoute, async (c) => {
    const p = c.req.valid("param");
    const ctx = orgCtx(c, p.orgId, "members.manage");
    const row = await changeRole({ ctx, input: { userId: p.userId, role: c.req.valid("json").role } });
    return c.json({ user_id: row.userId, role: row.role as z.infer<typeof RoleSchema> }, 200);
  });
  app.openapi(removeRoute, async (c) => {
    const p = c.req.valid("param");
    // Leaving needs only membership; removing someone else needs members.manage.
    const self = p.userId === c.get("auth").userId;
    const ctx = orgCtx(c, p.orgId, self ? "members.read" : "members.manage");
    const r = await removeMember({ ctx, input: { userId: p.userId } });
    return c.json({ removed: true as const, keys_revoked: r.keysRevoked }, 200);
  });
}
