import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { applyTemplate } from "../../services/templates/apply.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { AppliedTemplateSchema, ApplyTemplateBody, TemplateIdParam } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/templates/{id}/apply",
  tags: ["Templates"],
  summary:
    "Apply a template: knowledge base, sample documents, embed, then its golden set through search and ask (scope admin)",
  security,
  request: { params: TemplateIdParam, body: jsonBody(ApplyTemplateBody) },
  responses: {
    201: jsonResponse(AppliedTemplateSchema, "What was created, and the golden set's result."),
    ...errorResponses(402, 403, 404, 429),
  },
});

export type ApplyTemplateRequest = z.input<typeof ApplyTemplateBody>;
export type ApplyTemplateResult = z.infer<typeof AppliedTemplateSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const applied = await applyTemplate({
      ctx: actionCtx(c, "admin"),
      input: {
        id: c.req.valid("param").id,
        ...(b.name ? { name: b.name } : {}),
        ...(b.allowed_origins ? { allowedOrigins: b.allowed_origins } : {}),
        ...(b.wait_seconds ? { waitMs: b.wait_seconds * 1000 } : {}),
      },
    });
    return c.json(applied, 201);
  });
}
