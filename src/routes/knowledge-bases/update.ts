import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { updateKnowledgeBase } from "../../services/knowledge-bases/update.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { fromKbBody, KbIdParam, KbSchema, toKb, UpdateKbBody } from "./schema.js";

export const route = createRoute({
  method: "patch",
  path: "/knowledge-bases/{id}",
  tags: ["Knowledge bases"],
  summary: "Update a knowledge base (scope admin); chunking changes apply to documents ingested afterwards",
  security,
  request: { params: KbIdParam, body: jsonBody(UpdateKbBody) },
  responses: { 200: jsonResponse(KbSchema, "The updated knowledge base."), ...errorResponses(403, 404, 409) },
});

export type UpdateKbRequest = z.infer<typeof UpdateKbBody>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const row = await updateKnowledgeBase({
      ctx: serviceCtx(c, "admin"),
      input: { id: c.req.valid("param").id, patch: fromKbBody(c.req.valid("json")) },
    });
    return c.json(toKb(row), 200);
  });
}
