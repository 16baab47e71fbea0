import { z } from "@hono/zod-openapi";
import { LOCALES } from "../../i18n/locales.js";
import type { EmbedRow, EmbedSettings } from "../../services/embeds/create.js";
import { PROMPT_TEMPLATES } from "../../services/knowledge-bases/settings.js";
import { isoDate } from "../common.js";
import { UsdInput, UsdString, usdOrNull, usdToMicros } from "../money.js";
import { KbIdsField } from "../search/schema.js";

export const EmbedIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "emb_01jc8w7k3m" }),
});

const cap = (description: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullable()
    .openapi({ description: `${description}; null = no cap.` });

export const ThemeSchema = z
  .strictObject({
    primary_color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "a #rrggbb colour")
      .optional()
      .openapi({ example: "#2563eb" }),
    position: z.enum(["right", "left"]).optional(),
    color_scheme: z.enum(["light", "dark", "auto"]).optional(),
  })
  .openapi("EmbedTheme");

const fields = {
  name: z.string().trim().min(1).max(200).openapi({ example: "Help center bot" }),
  knowledge_base_ids: KbIdsField,
  models: z
    .array(z.string().min(1).max(200))
    .max(5)
    .openapi({ description: "Tried in order (fallback); empty: the deployment's default model." }),
  template: z.enum(PROMPT_TEMPLATES).openapi({ description: "Answer template (default support-bot)." }),
  allowed_origins: z
    .array(z.string().trim().min(1).max(300))
    .min(1)
    .max(50)
    .openapi({
      description:
        'Pages allowed to run the widget: exact origins ("https://shop.example.com", "http://localhost:3000") or "*.example.com" (any subdomain, https).',
      example: ["https://www.example.com", "*.example.com"],
    }),
  greeting: z.string().max(500).openapi({ example: "Hi! Ask me anything about our products." }),
  starter_questions: z.array(z.string().trim().min(1).max(200)).max(6),
  theme: ThemeSchema,
  default_language: z
    .enum(LOCALES)
    .nullable()
    .openapi({ description: "Widget language when the page sets none; null: the browser's." }),
  max_messages_per_conversation: cap("Questions per conversation"),
  max_conversations_per_visitor_per_day: cap("Conversations a visitor may start per UTC day"),
  max_messages_per_day: cap("Questions per UTC day across all visitors"),
  monthly_budget_usd: UsdInput.nullable().openapi({
    description:
      'Spend per calendar month (UTC) after which visitors get 402, as a number or a decimal string ("25.00"); null = none.',
  }),
  signed_visitors_only: z.boolean().openapi({
    description: "Only visitors with a token minted by your backend with the signing secret may chat.",
  }),
};

export const CreateEmbedBody = z
  .strictObject({
    name: fields.name,
    knowledge_base_ids: fields.knowledge_base_ids,
    models: fields.models.optional(),
    template: fields.template.optional(),
    allowed_origins: fields.allowed_origins,
    greeting: fields.greeting.optional(),
    starter_questions: fields.starter_questions.optional(),
    theme: fields.theme.optional(),
    default_language: fields.default_language.optional(),
    max_messages_per_conversation: fields.max_messages_per_conversation.optional(),
    max_conversations_per_visitor_per_day: fields.max_conversations_per_visitor_per_day.optional(),
    max_messages_per_day: fields.max_messages_per_day.optional(),
    monthly_budget_usd: fields.monthly_budget_usd.optional(),
    signed_visitors_only: fields.signed_visitors_only.optional(),
  })
  .openapi("CreateEmbed");

export const UpdateEmbedBody = CreateEmbedBody.partial().openapi("UpdateEmbed");

export const EmbedSchema = z
  .object({
    id: z.string().openapi({ example: "emb_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    name: z.string(),
    knowledge_base_ids: z.array(z.string()),
    models: z.array(z.string()),
    template: z.string(),
    allowed_origins: z.array(z.string()),
    greeting: z.string(),
    starter_questions: z.array(z.string()),
    theme: ThemeSchema,
    default_language: z.string().nullable(),
    max_messages_per_conversation: z.number().int().nullable(),
    max_conversations_per_visitor_per_day: z.number().int().nullable(),
    max_messages_per_day: z.number().int().nullable(),
    monthly_budget_micros: z.number().int().nullable(),
    monthly_budget_usd: UsdString.nullable(),
    signed_visitors_only: z.boolean(),
    snippet: z.string().openapi({ description: "The script tag to paste into a page." }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Embed");

export const CreatedEmbedSchema = EmbedSchema.extend({
  signing_secret: z.string().openapi({
    description: "Signs visitor tokens (signed mode). Shown only here: store it on your backend.",
  }),
}).openapi("CreatedEmbed");

type Body = z.infer<typeof UpdateEmbedBody>;

export function fromEmbedBody(b: Body): Partial<EmbedSettings> {
  return {
    name: b.name,
    kbIds: b.knowledge_base_ids,
    models: b.models,
    promptTemplate: b.template,
    allowedOrigins: b.allowed_origins,
    greeting: b.greeting,
    starterQuestions: b.starter_questions,
    theme: b.theme as Record<string, string> | undefined,
    defaultLanguage: b.default_language,
    maxMessagesPerConversation: b.max_messages_per_conversation,
    maxConversationsPerVisitorPerDay: b.max_conversations_per_visitor_per_day,
    maxMessagesPerDay: b.max_messages_per_day,
    monthlyBudgetMicros:
      b.monthly_budget_usd === undefined
        ? undefined
        : b.monthly_budget_usd === null
          ? null
          : usdToMicros(b.monthly_budget_usd),
    signedVisitorsOnly: b.signed_visitors_only,
  };
}

export function snippetFor(baseUrl: string, embedId: string): string {
  return `<script src="${baseUrl}/widget.js" data-embed-id="${embedId}" async></script>`;
}

export function toEmbed(r: EmbedRow, baseUrl: string): z.infer<typeof EmbedSchema> {
  return {
    id: r.id,
    name: r.name,
    knowledge_base_ids: r.kbIds,
    models: r.models,
    template: r.promptTemplate,
    allowed_origins: r.allowedOrigins,
    greeting: r.greeting,
    starter_questions: r.starterQuestions,
    theme: r.theme,
    default_language: r.defaultLanguage,
    max_messages_per_conversation: r.maxMessagesPerConversation,
    max_conversations_per_visitor_per_day: r.maxConversationsPerVisitorPerDay,
    max_messages_per_day: r.maxMessagesPerDay,
    monthly_budget_micros: r.monthlyBudgetMicros,
    monthly_budget_usd: usdOrNull(r.monthlyBudgetMicros),
    signed_visitors_only: r.signedVisitorsOnly,
    snippet: snippetFor(baseUrl, r.id),
    created_at: isoDate(r.createdAt)!,
    updated_at: isoDate(r.updatedAt)!,
  };
}
