import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getKnowledgeBase } from "../../services/knowledge-bases/get.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KbIdParam, KbSchema, toKb } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}",
  tags: ["Knowledge bases"],
  summary: "Get a knowledge base (any scope)",
  security,
  request: { params: KbIdParam },
  responses: { 200: jsonResponse(KbSchema, "The knowledge base."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = tenantCtx(c);
    const row = await getKnowledgeBase({ ctx, input: { id: c.req.valid("param").id } });
    return c.json(toKb(row), 200);
  });
}
