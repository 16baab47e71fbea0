import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import type { users } from "../../db/schema.js";
import { listPlatformAudit, listUsers, updateUser } from "../../services/platform/platform.js";
import { toUser, UserSchema } from "../auth/schema.js";
import { errorResponses, isoDate, jsonBody, jsonResponse, PageQuery } from "../common.js";
import { IdParam, platformCtx, security } from "./schema.js";

const PlatformUser = UserSchema.extend({ suspended_at: z.string().nullable() }).openapi("PlatformUser");
const toPlatformUser = (u: typeof users.$inferSelect) => ({
  ...toUser(u),
  suspended_at: isoDate(u.suspendedAt),
});

export const listRoute = createRoute({
  method: "get",
  path: "/platform/users",
  tags: ["Platform"],
  summary: "All accounts (platform administrator)",
  security,
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(PlatformUser), next_cursor: z.string().nullable() }),
      "A page.",
    ),
    ...errorResponses(403),
  },
});

export const updateRoute = createRoute({
  method: "patch",
  path: "/platform/users/{id}",
  tags: ["Platform"],
  summary:
    "Suspend or restore an account (suspension ends its sessions now), or grant platform administrator",
  security,
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .strictObject({ suspended: z.boolean().optional(), platform_admin: z.boolean().optional() })
        .openapi("UpdatePlatformUser", { example: { suspended: true } }),
    ),
  },
  responses: { 200: jsonResponse(PlatformUser, "The account."), ...errorResponses(403, 404, 409) },
});

const AuditItem = z.object({
  id: z.string(),
  action: z.string().openapi({ example: "auth.sign_in_failed" }),
  resource_type: z.string(),
  resource_id: z.string(),
  actor_key_id: z.string().nullable(),
  actor_user_id: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const auditRoute = createRoute({
  method: "get",
  path: "/platform/audit",
  tags: ["Platform"],
  summary: "Audit events outside any organization: sign-in failures, sign-ups, platform actions",
  security,
  request: { query: PageQuery.extend({ action: z.string().max(64).optional() }) },
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(AuditItem), next_cursor: z.string().nullable() }),
      "Newest first.",
    ),
    ...errorResponses(403),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const page = await listUsers(platformCtx(c), c.req.valid("query"));
    return c.json({ data: page.items.map(toPlatformUser), next_cursor: page.nextCursor }, 200);
  });
  app.openapi(updateRoute, async (c) => {
    const b = c.req.valid("json");
    const user = await updateUser(platformCtx(c), c.req.valid("param").id, {
      ...(b.suspended === undefined ? {} : { suspended: b.suspended }),
      ...(b.platform_admin === undefined ? {} : { platformAdmin: b.platform_admin }),
    });
    return c.json(toPlatformUser(user), 200);
  });
  app.openapi(auditRoute, async (c) => {
    const page = await listPlatformAudit(platformCtx(c), c.req.valid("query"));
    return c.json(
      {
        data: page.items.map((r) => ({
          id: r.id,
          action: r.action,
          resource_type: r.resourceType,
          resource_id: r.resourceId,
          actor_key_id: r.actorKeyId,
          actor_user_id: r.actorUserId,
          detail: r.detail,
          created_at: r.createdAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      },
      200,
    );
  });
}
