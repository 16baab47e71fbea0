import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getConversation } from "../../services/conversations/get.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { ConversationIdParam, HistorySchema, toConversation, toMessage } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/conversations/{id}",
  tags: ["Conversations"],
  summary: "A conversation with its history, oldest first (scope query: own conversations; admin: all)",
  security,
  request: { params: ConversationIdParam },
  responses: {
    200: jsonResponse(HistorySchema, "The conversation and its messages."),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { conversation, messages } = await getConversation({
      ctx: serviceCtx(c, "query"),
      input: { id: c.req.valid("param").id },
    });
    return c.json({ conversation: toConversation(conversation), messages: messages.map(toMessage) }, 200);
  });
}
