import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getTemplate } from "../../services/templates/catalog.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { TemplateIdParam, TemplateSchema, toDetail } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/templates/{id}",
  tags: ["Templates"],
  summary: "One template: settings, sample documents with their licence, golden questions (any scope)",
  security,
  request: { params: TemplateIdParam },
  responses: { 200: jsonResponse(TemplateSchema, "The template."), ...errorResponses(403, 404) },
});

export type TemplateResult = z.infer<typeof TemplateSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    tenantCtx(c);
    return c.json(toDetail(getTemplate({ input: { id: c.req.valid("param").id } })), 200);
  });
}
