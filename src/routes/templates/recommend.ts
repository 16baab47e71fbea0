import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getTemplate } from "../../services/templates/catalog.js";
import { recommendTemplates } from "../../services/templates/recommend.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { RecommendationsSchema, RecommendBody, toSummary } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/templates/recommend",
  tags: ["Templates"],
  summary: "Templates that fit the documents of a knowledge base, best first (scope query)",
  security,
  request: { body: jsonBody(RecommendBody) },
  responses: {
    200: jsonResponse(RecommendationsSchema, "Recommendations with their score and the terms that matched."),
    ...errorResponses(403, 404, 409),
  },
});

export type RecommendRequest = z.input<typeof RecommendBody>;
export type RecommendResult = z.infer<typeof RecommendationsSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const found = await recommendTemplates({
      ctx: serviceCtx(c, "query"),
      input: { kbId: b.knowledge_base_id, limit: b.limit },
    });
    const data = found.map((r) => ({ ...r, template: toSummary(getTemplate({ input: { id: r.id } })) }));
    return c.json({ data }, 200);
  });
}
