import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createConversation } from "../../services/conversations/create.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { ConversationSchema, CreateConversationBody, toConversation } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/conversations",
  tags: ["Conversations"],
  summary: "Start a conversation over knowledge bases (scope query)",
  security,
  request: { body: jsonBody(CreateConversationBody) },
  responses: { 201: jsonResponse(ConversationSchema, "The new conversation."), ...errorResponses(403, 404) },
});

export type CreateConversationRequest = z.input<typeof CreateConversationBody>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const row = await createConversation({
      ctx: serviceCtx(c, "query"),
      input: { kbIds: b.knowledge_base_ids, models: b.models, template: b.template },
    });
    return c.json(toConversation(row), 201);
  });
}
