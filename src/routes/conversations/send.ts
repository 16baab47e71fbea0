import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { collectAsk } from "../../services/ask/collect.js";
import { loadConversation } from "../../services/conversations/get.js";
import { sendMessage } from "../../services/conversations/send.js";
import { SSE_DESCRIPTION } from "../ask/schema.js";
import { sseResponse } from "../ask/sse.js";
import { errorResponses, jsonBody, security } from "../common.js";
import { ConversationIdParam, SendMessageBody, SendMessageJson } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/conversations/{id}/messages",
  tags: ["Conversations"],
  summary:
    "Ask the next question; a follow-up is rewritten into a standalone query for retrieval (scope query)",
  security,
  request: { params: ConversationIdParam, body: jsonBody(SendMessageBody) },
  responses: {
    200: {
      description: `The answer, streamed exactly like /v1/ask (the \`x-message-id\` header names the stored answer). ${SSE_DESCRIPTION}`,
      content: {
        "text/event-stream": { schema: z.string() },
        "application/json": { schema: SendMessageJson },
      },
    },
    ...errorResponses(402, 403, 404, 429, 503),
  },
});

export type SendMessageRequest = z.input<typeof SendMessageBody>;
export type SendMessageResult = z.infer<typeof SendMessageJson>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const ctx = serviceCtx(c, "query");
    const conversation = await loadConversation(ctx, c.req.valid("param").id);
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
    const turn = await sendMessage({
      ctx,
      conversation,
      input: { question: b.question, topK: b.top_k, maxTokens: b.max_tokens, temperature: b.temperature },
      signal: controller.signal,
    });
    if (!b.stream) {
      const collected = await collectAsk(turn.events);
      return c.json(
        { ...collected, user_message_id: turn.userMessageId, assistant_message_id: turn.assistantMessageId },
        200,
      );
    }
    c.header("x-message-id", turn.assistantMessageId);
    return sseResponse(c, turn.events, onClientGone);
  });
}
