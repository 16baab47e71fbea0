import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { revokeKey } from "../../services/keys/revoke.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KeySchema, toKey } from "./schema.js";

export const route = createRoute({
  method: "delete",
  path: "/keys/{id}",
  tags: ["API keys"],
  summary: "Revoke an API key (scope admin); takes effect on the next request",
  security,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(KeySchema, "The revoked key."), ...errorResponses(403, 404, 409) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const row = await revokeKey({ ctx: actionCtx(c, "keys.create"), input: { id: c.req.valid("param").id } });
    return c.json(toKey(row), 200);
  });
}
