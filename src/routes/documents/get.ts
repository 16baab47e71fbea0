import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getDocument } from "../../services/documents/get.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { DocIdParam, DocumentSchema, toDocument } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/documents/{id}",
  tags: ["Documents"],
  summary: "Get a document's status, progress and error (any scope)",
  security,
  request: { params: DocIdParam },
  responses: { 200: jsonResponse(DocumentSchema, "The document."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const row = await getDocument({ ctx: tenantCtx(c), input: { id: c.req.valid("param").id } });
    return c.json(toDocument(row), 200);
  });
}
