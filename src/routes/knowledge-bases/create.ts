import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createKnowledgeBase } from "../../services/knowledge-bases/create.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { SDK_SAMPLES } from "../sdk-samples.js";
import { CreateKbBody, fromKbBody, KbSchema, toKb } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases",
  tags: ["Knowledge bases"],
  summary: "Create a knowledge base (scope admin)",
  security,
  "x-codeSamples": SDK_SAMPLES.createKnowledgeBase,
  request: { body: jsonBody(CreateKbBody) },
  responses: { 201: jsonResponse(KbSchema, "The new knowledge base."), ...errorResponses(403) },
});

export type CreateKbRequest = z.infer<typeof CreateKbBody>;
export type CreateKbResult = z.infer<typeof KbSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const row = await createKnowledgeBase({
      ctx: serviceCtx(c, "admin"),
      input: { ...fromKbBody(b), name: b.name },
    });
    return c.json(toKb(row), 201);
  });
}
