import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listAudit } from "../../services/audit/list.js";
import { snakeKeys } from "../../services/audit/record.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";

const AuditEntry = z
  .object({
    id: z.string(),
    action: z.string().openapi({ example: "key.revoke" }),
    resource_type: z.string(),
    resource_id: z.string(),
    actor_key_id: z.string().nullable(),
    actor_user_id: z
      .string()
      .nullable()
      .openapi({ description: "The person acting (signed in, or whose key acted)." }),
    detail: z.record(z.string(), z.unknown()),
    request_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("AuditEntry");

const ListAuditResponse = z.object({ data: z.array(AuditEntry), next_cursor: z.string().nullable() });

export const route = createRoute({
  method: "get",
  path: "/audit",
  tags: ["Audit"],
  summary: "The tenant's audit log, newest first (scope admin)",
  security,
  request: { query: PageQuery.extend({ action: z.string().max(64).optional() }) },
  responses: { 200: jsonResponse(ListAuditResponse, "A page of audit entries."), ...errorResponses(403) },
});

export type ListAuditResult = z.infer<typeof ListAuditResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page = await listAudit({ ctx: serviceCtx(c, "admin"), input: c.req.valid("query") });
    return c.json(
      {
        data: page.items.map((r) => ({
          id: r.id,
          action: r.action,
          resource_type: r.resourceType,
          resource_id: r.resourceId,
          actor_key_id: r.actorKeyId,
          actor_user_id: r.actorUserId,
          detail: snakeKeys(r.detail),
          request_id: r.requestId,
          created_at: r.createdAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      },
      200,
    );
  });
}
