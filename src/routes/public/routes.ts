import { randomBytes } from "node:crypto";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { limiterFor } from "../../ratelimit/limiter.js";
import { collectAsk } from "../../services/ask/collect.js";
import { sendMessage } from "../../services/conversations/send.js";
import {
  checkMessageAllowed,
  loadVisitorConversation,
  recordFeedback,
  startVisitorConversation,
} from "../../services/embeds/public.js";
import { SSE_DESCRIPTION } from "../ask/schema.js";
import { sseResponse } from "../ask/sse.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { SendMessageJson } from "../conversations/schema.js";
import { CONVERSATION_TOKEN_HEADER, embedAccess } from "./guard.js";
import {
  ConversationParam,
  EmbedParam,
  FeedbackBody,
  MessageParam,
  PublicEmbedSchema,
  PublicMessageBody,
  StartBody,
  StartedSchema,
} from "./schema.js";

const tags = ["Public (widget)"];
/** Questions a minute one visitor may send: a person types slower, a script does not. */
export const VISITOR_MESSAGES_PER_MINUTE = 20;
const PUBLIC_ERRORS = [401, 402, 403, 404, 429] as const;

export const configRoute = createRoute({
  method: "get",
  path: "/public/embeds/{embedId}",
  tags,
  summary: "What the widget shows before the first question (no API key; Origin must be allowed)",
  request: { params: EmbedParam },
  responses: {
    200: jsonResponse(PublicEmbedSchema, "Greeting, starter questions, theme."),
    ...errorResponses(...PUBLIC_ERRORS),
  },
});

export const startRoute = createRoute({
  method: "post",
  path: "/public/embeds/{embedId}/conversations",
  tags,
  summary:
    "Start a visitor's conversation (no API key; Origin must be allowed; signed mode: x-visitor-token)",
  request: { params: EmbedParam, body: jsonBody(StartBody) },
  responses: {
    201: jsonResponse(StartedSchema, "The conversation and its access token."),
    ...errorResponses(...PUBLIC_ERRORS),
  },
});

export const messageRoute = createRoute({
  method: "post",
  path: "/public/embeds/{embedId}/conversations/{conversationId}/messages",
  tags,
  summary: "Ask within the visitor's conversation; streamed like /v1/ask (x-conversation-token required)",
  request: { params: ConversationParam, body: jsonBody(PublicMessageBody) },
  responses: {
    200: {
      description: `The answer; \`x-message-id\` names it for feedback. ${SSE_DESCRIPTION}`,
      content: {
        "text/event-stream": { schema: z.string() },
        "application/json": { schema: SendMessageJson },
      },
    },
    ...errorResponses(...PUBLIC_ERRORS, 503),
  },
});

export const feedbackRoute = createRoute({
  method: "post",
  path: "/public/embeds/{embedId}/conversations/{conversationId}/messages/{messageId}/feedback",
  tags,
  summary: "Thumbs up or down on an answer, with an optional comment (x-conversation-token required)",
  request: { params: MessageParam, body: jsonBody(FeedbackBody) },
  responses: {
    204: { description: "Recorded (a second rating replaces the first)." },
    ...errorResponses(...PUBLIC_ERRORS),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(configRoute, async (c) => {
    const { embed } = await embedAccess(c, c.req.valid("param").embedId);
    return c.json(
      {
        id: embed.id,
        name: embed.name,
        greeting: embed.greeting,
        starter_questions: embed.starterQuestions,
        theme: embed.theme,
        default_language: embed.defaultLanguage,
        signed_visitors_only: embed.signedVisitorsOnly,
      },
      200,
    );
  });

  app.openapi(startRoute, async (c) => {
    const { embed, ctx, signedVisitorId } = await embedAccess(c, c.req.valid("param").embedId);
    const visitorId =
      signedVisitorId ?? c.req.valid("json").visitor_id ?? `vis_${randomBytes(12).toString("base64url")}`;
    const { conversation, token } = await startVisitorConversation({ ctx, embed, visitorId });
    return c.json(
      { conversation_id: conversation.id, conversation_token: token, visitor_id: visitorId },
      201,
    );
  });

  app.openapi(messageRoute, async (c) => {
    const started = performance.now();
    const p = c.req.valid("param");
    const { embed, ctx, signedVisitorId } = await embedAccess(c, p.embedId);
    const conversation = await loadVisitorConversation(ctx, embed, {
      id: p.conversationId,
      token: c.req.header(CONVERSATION_TOKEN_HEADER),
      visitorId: signedVisitorId,
    });
    await limitVisitor(c, embed.id, conversation.visitorId ?? conversation.id);
    await checkMessageAllowed(ctx, embed, conversation);
    const b = c.req.valid("json");
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
    const turn = await sendMessage({
      ctx,
      conversation,
      input: { question: b.question, topK: 6 },
      signal: controller.signal,
    });
    c.get("logger").debug({ ms: performance.now() - started }, "public message prepared");
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

  app.openapi(feedbackRoute, async (c) => {
    const p = c.req.valid("param");
    const { embed, ctx, signedVisitorId } = await embedAccess(c, p.embedId);
    const conversation = await loadVisitorConversation(ctx, embed, {
      id: p.conversationId,
      token: c.req.header(CONVERSATION_TOKEN_HEADER),
      visitorId: signedVisitorId,
    });
    const b = c.req.valid("json");
    await recordFeedback(ctx, conversation, {
      messageId: p.messageId,
      rating: b.rating,
      ...(b.comment ? { comment: b.comment } : {}),
    });
    return c.body(null, 204);
  });
}

async function limitVisitor(c: Parameters<typeof embedAccess>[0], embedId: string, visitorId: string) {
  let decision: Awaited<ReturnType<ReturnType<typeof limiterFor>["hit"]>>;
  try {
    decision = await limiterFor(c.get("deps")).hit(`${embedId}:${visitorId}`, VISITOR_MESSAGES_PER_MINUTE);
  } catch (err) {
    c.get("logger").warn({ err }, "rate limiter unavailable; visitor request not counted");
    return;
  }
  if (!decision.allowed) {
    const seconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    throw new ApiError("rate_limited", `Too many questions at once. Wait ${seconds} s and try again.`, {
      headers: { "retry-after": String(seconds) },
      data: { retry_after_seconds: seconds },
    });
  }
}
