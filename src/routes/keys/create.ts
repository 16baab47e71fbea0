import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createKey } from "../../services/keys/create.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { usdToMicros } from "../money.js";
import { CreateKeyBody, KeyCreatedSchema, toKeyCreated } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/keys",
  tags: ["API keys"],
  summary: "Create an API key for this tenant (scope admin)",
  security,
  request: { body: jsonBody(CreateKeyBody) },
  responses: {
    201: jsonResponse(KeyCreatedSchema, "The new key; `key` is shown only once."),
    ...errorResponses(403, 404),
  },
});

export type CreateKeyRequest = z.infer<typeof CreateKeyBody>;
export type CreateKeyResult = z.infer<typeof KeyCreatedSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actionCtx(c, "keys.create");
    const b = c.req.valid("json");
    const row = await createKey({
      ctx,
      input: {
        name: b.name,
        scopes: b.scopes,
        knowledgeBaseIds: b.knowledge_base_ids ?? null,
        expiresAt: b.expires_at ? new Date(b.expires_at) : null,
        monthlyBudgetMicros: b.monthly_budget_usd == null ? null : usdToMicros(b.monthly_budget_usd),
        rateLimitPerMinute: b.rate_limit_per_minute ?? null,
      },
    });
    return c.json(toKeyCreated(row), 201);
  });
}
