import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePlatform } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { issueRecoveryKey } from "../../services/tenants/recovery-key.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { KeyCreatedSchema, toKeyCreated } from "../keys/schema.js";

const RecoveryKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "recovery admin" }),
    reason: z
      .string()
      .trim()
      .max(500)
      .optional()
      .openapi({ description: "Why the key was issued; kept in the tenant's audit log." }),
  })
  .openapi("IssueRecoveryKey");

export const route = createRoute({
  method: "post",
  path: "/tenants/{id}/keys",
  tags: ["Tenants"],
  summary: "Issue a recovery admin key to an existing tenant (platform admin key only; audited)",
  description:
    "A new admin key over every knowledge base, without expiry, for a tenant that lost its admin keys. The tenant's audit log records it as `key.recover`.",
  security,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: { ...jsonBody(RecoveryKeyBody), required: false },
  },
  responses: {
    201: jsonResponse(KeyCreatedSchema, "The new admin key; `key` is shown only once."),
    ...errorResponses(403, 404),
  },
});

export type RecoveryKeyResult = z.infer<typeof KeyCreatedSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const auth = c.get("auth");
    requirePlatform(auth);
    const body = c.req.valid("json") ?? {};
    const row = await issueRecoveryKey({
      ctx: { db: c.get("deps").database.db, auth, requestId: c.get("requestId") },
      input: {
        tenantId: c.req.valid("param").id,
        ...(body.name ? { name: body.name } : {}),
        ...(body.reason ? { reason: body.reason } : {}),
      },
    });
    return c.json(toKeyCreated(row), 201);
  });
}
