import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getTemplate, listTemplates } from "../../services/templates/catalog.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { TemplateIdParam, TemplateSchema, TemplateSummarySchema, toDetail, toSummary } from "./schema.js";

const tags = ["Templates"];

export const listRoute = createRoute({
  method: "get",
  path: "/templates",
  tags,
  summary: "The solution-template catalog (any scope)",
  security,
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(TemplateSummarySchema) }).openapi("TemplateList"),
      "Every template, with what applying it creates.",
    ),
    ...errorResponses(403),
  },
});

export const getRoute = createRoute({
  method: "get",
  path: "/templates/{id}",
  tags,
  summary: "One template: settings, sample documents with their licence, golden questions (any scope)",
  security,
  request: { params: TemplateIdParam },
  responses: { 200: jsonResponse(TemplateSchema, "The template."), ...errorResponses(403, 404) },
});

export type TemplateListResult = { data: z.infer<typeof TemplateSummarySchema>[] };
export type TemplateResult = z.infer<typeof TemplateSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    tenantCtx(c);
    return c.json({ data: listTemplates().map(toSummary) }, 200);
  });
  app.openapi(getRoute, async (c) => {
    tenantCtx(c);
    return c.json(toDetail(getTemplate({ input: { id: c.req.valid("param").id } })), 200);
  });
}
