import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listTemplates } from "../../services/templates/catalog.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { TemplateSummarySchema, toSummary } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/templates",
  tags: ["Templates"],
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

export type TemplateListResult = { data: z.infer<typeof TemplateSummarySchema>[] };

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    // The catalog is the platform's, the same for everyone; this only requires a tenant caller.
    tenantCtx(c);
    return c.json({ data: listTemplates().map(toSummary) }, 200);
  });
}
