import { z } from "@hono/zod-openapi";
import { ThemeSchema } from "../embeds/schema.js";

export const EmbedParam = z.object({
  embedId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "embedId", in: "path" }, example: "emb_01jc8w7k3m" }),
});

export const ConversationParam = EmbedParam.extend({
  conversationId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "conversationId", in: "path" } }),
});

export const MessageParam = ConversationParam.extend({
  messageId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "messageId", in: "path" } }),
});

export const PublicEmbedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    greeting: z.string(),
    starter_questions: z.array(z.string()),
    theme: ThemeSchema,
    default_language: z.string().nullable(),
    signed_visitors_only: z.boolean(),
  })
  .openapi("PublicEmbed");

export const StartBody = z
  .strictObject({
    visitor_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,100}$/, "8-100 letters, digits, _ or -")
      .optional()
      .openapi({
        description:
          "Anonymous mode: the widget's id for this browser. Signed mode: ignored (the token names the visitor).",
      }),
  })
  .openapi("PublicStartConversation");

export const StartedSchema = z
  .object({
    conversation_id: z.string(),
    conversation_token: z
      .string()
      .openapi({ description: "Send as x-conversation-token with every message." }),
    visitor_id: z.string(),
  })
  .openapi("PublicConversation");

export const PublicMessageBody = z
  .strictObject({
    question: z.string().trim().min(1).max(2000),
    stream: z.boolean().default(true),
  })
  .openapi("PublicMessage");

export const FeedbackBody = z
  .strictObject({
    rating: z.enum(["up", "down"]),
    comment: z.string().trim().max(1000).optional(),
  })
  .openapi("PublicFeedback");
