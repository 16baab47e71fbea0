import { z } from "@hono/zod-openapi";
import type { ConversationRow } from "../../services/conversations/create.js";
import type { MessageRow } from "../../services/conversations/get.js";
import { PROMPT_TEMPLATES } from "../../services/knowledge-bases/settings.js";
import { AskJsonResponse } from "../ask/schema.js";
import { isoDate } from "../common.js";
import { UsdString, usd } from "../money.js";
import { KbIdsField, TopKField } from "../search/schema.js";

export const ConversationIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "cnv_01jc8w7k3m" }),
});

export const CreateConversationBody = z
  .strictObject({
    knowledge_base_ids: KbIdsField,
    models: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(5)
      .optional()
      .openapi({ description: "Tried in order (fallback); default: the deployment's default model." }),
    template: z.enum(PROMPT_TEMPLATES).optional(),
  })
  .openapi("CreateConversation");

export const ConversationSchema = z
  .object({
    id: z.string(),
    knowledge_base_ids: z.array(z.string()),
    models: z.array(z.string()),
    template: z.string().nullable(),
    embed_id: z.string().nullable(),
    visitor_id: z.string().nullable(),
    message_count: z.number().int(),
    cost_micros: z.number().int(),
    cost_usd: UsdString,
    created_at: z.string(),
    last_message_at: z.string(),
  })
  .openapi("Conversation");

export const SourceRef = z
  .object({
    n: z.number().int(),
    document_id: z.string(),
    title: z.string(),
    page_start: z.number().int().nullable(),
    page_end: z.number().int().nullable(),
    text: z.string(),
  })
  .openapi("ConversationSource");

export const MessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(["user", "assistant"]),
    content: z.string(),
    query: z.string().nullable().openapi({ description: "User turns: the standalone query retrieval used." }),
    rewrite_method: z.enum(["none", "offline", "model"]).nullable(),
    model: z.string().nullable(),
    status: z.string().nullable(),
    sources: z.array(SourceRef).nullable(),
    citations: z.array(z.number().int()).nullable(),
    cost_micros: z.number().int(),
    feedback: z.enum(["up", "down"]).nullable(),
    feedback_comment: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ConversationMessage");

export const HistorySchema = z
  .object({ conversation: ConversationSchema, messages: z.array(MessageSchema) })
  .openapi("ConversationHistory");

export const SendMessageBody = z
  .strictObject({
    question: z.string().trim().min(1).max(4000).openapi({ example: "and how long does it take?" }),
    stream: z.boolean().default(true),
    top_k: TopKField,
    max_tokens: z.number().int().min(1).max(32_768).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .openapi("SendMessage");

export const SendMessageJson = AskJsonResponse.extend({
  user_message_id: z.string(),
  assistant_message_id: z.string(),
}).openapi("ConversationTurn");

export function toConversation(r: ConversationRow): z.infer<typeof ConversationSchema> {
  return {
    id: r.id,
    knowledge_base_ids: r.kbIds,
    models: r.models,
    template: r.promptTemplate,
    embed_id: r.embedId,
    visitor_id: r.visitorId,
    message_count: r.messageCount,
    cost_micros: r.costMicros,
    cost_usd: usd(r.costMicros),
    created_at: isoDate(r.createdAt)!,
    last_message_at: isoDate(r.lastMessageAt)!,
  };
}

export function toMessage(m: MessageRow): z.infer<typeof MessageSchema> {
  return {
    id: m.id,
    role: m.role as "user" | "assistant",
    content: m.content,
    query: m.query,
    rewrite_method: m.rewriteMethod as "none" | "offline" | "model" | null,
    model: m.model,
    status: m.status,
    sources: (m.sources as z.infer<typeof SourceRef>[] | null) ?? null,
    citations: m.citations,
    cost_micros: m.costMicros,
    feedback: m.feedback === 1 ? "up" : m.feedback === -1 ? "down" : null,
    feedback_comment: m.feedbackComment,
    created_at: isoDate(m.createdAt)!,
  };
}

export const RetentionBody = z
  .strictObject({
    days: z.number().int().min(1).max(3650).nullable().openapi({
      description: "Days after its last message a conversation is kept; null keeps them until deleted.",
    }),
  })
  .openapi("ConversationRetention");
