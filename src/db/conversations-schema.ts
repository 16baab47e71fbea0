import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { created, micros, ts } from "./columns.js";
import { tenants } from "./tenancy-schema.js";

/** Conversations and embeds (issue 14). */
/** A public chat bot on customers' websites: what it may read, where it may run, what it may spend. */
export const embeds = pgTable(
  "embeds",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kbIds: text("kb_ids").array().notNull(),
    models: text("models").array().notNull().default([]),
    promptTemplate: text("prompt_template").notNull().default("support-bot"),
    /** Exact origins ("https://shop.example.com") or host wildcards ("*.example.com", https only). */
    allowedOrigins: text("allowed_origins").array().notNull(),
    greeting: text("greeting").notNull().default(""),
    starterQuestions: text("starter_questions").array().notNull().default([]),
    theme: jsonb("theme").$type<Record<string, string>>().notNull().default({}),
    defaultLanguage: text("default_language"),
    maxMessagesPerConversation: integer("max_messages_per_conversation"),
    maxConversationsPerVisitorPerDay: integer("max_conversations_per_visitor_per_day"),
    maxMessagesPerDay: integer("max_messages_per_day"),
    monthlyBudgetMicros: micros("monthly_budget_micros"),
    signedVisitorsOnly: boolean("signed_visitors_only").notNull().default(false),
    /** HMAC key for visitor tokens; returned once at creation, kept because verifying needs it. */
    signingSecret: text("signing_secret").notNull(),
    createdAt: created(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("embeds_tenant_idx").on(t.tenantId, t.id)],
);

export const conversations = pgTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The API key that started it; null for conversations started through an embed. */
    keyId: text("key_id"),
    embedId: text("embed_id").references(() => embeds.id, { onDelete: "cascade" }),
    visitorId: text("visitor_id"),
    /** sha256 of the token a widget visitor presents to continue the conversation. */
    accessHash: text("access_hash"),
    kbIds: text("kb_ids").array().notNull(),
    models: text("models").array().notNull().default([]),
    promptTemplate: text("prompt_template"),
    messageCount: integer("message_count").notNull().default(0),
    costMicros: micros("cost_micros").notNull().default(0),
    createdAt: created(),
    lastMessageAt: ts("last_message_at").notNull().defaultNow(),
  },
  (t) => [
    index("conversations_tenant_idx").on(t.tenantId, t.id),
    index("conversations_embed_idx").on(t.embedId, t.visitorId, t.createdAt),
    index("conversations_last_idx").on(t.tenantId, t.lastMessageAt),
  ],
);

export const conversationMessages = pgTable(
  "conversation_messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    tenantId: text("tenant_id").notNull(),
    embedId: text("embed_id"),
    /** user | assistant */
    role: text("role").notNull(),
    content: text("content").notNull(),
    /** User turns: the standalone query retrieval used, and how it was made (none | offline | model). */
    query: text("query"),
    rewriteMethod: text("rewrite_method"),
    /** Assistant turns: the model, its status, the sources shown and the numbers cited. */
    model: text("model"),
    status: text("status"),
    sources: jsonb("sources").$type<unknown[]>(),
    citations: integer("citations").array(),
    costMicros: micros("cost_micros").notNull().default(0),
    /** 1 (up) or -1 (down), with an optional comment. */
    feedback: integer("feedback"),
    feedbackComment: text("feedback_comment"),
    createdAt: created(),
  },
  (t) => [
    index("conv_messages_conv_idx").on(t.conversationId, t.id),
    index("conv_messages_embed_idx").on(t.embedId, t.createdAt),
  ],
);

/** How long a tenant keeps conversations (by last message); absent = kept until deleted. */
export const conversationRetention = pgTable("conversation_retention", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  days: integer("days").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
