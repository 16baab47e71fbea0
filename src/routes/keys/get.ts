import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getKey } from "../../services/keys/get.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KeySchema, toKey } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/keys/{id}",
  tags: ["API keys"],
  summary: "One API key (scope admin); keys beyond the caller's own rights are not found",
  security,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(KeySchema, "The key (never its secret)."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const row = await getKey({ ctx: actionCtx(c, "keys.create"), input: { id: c.req.valid("param").id } });
    return c.json(toKey(row), 200);
  });
}
