import { z } from "@hono/zod-openapi";
import { TEMPLATE_CATEGORIES, type TemplateBundle } from "../../templates/index.js";

export const TemplateIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "customer-support-faq" }),
});

const Localized = z.record(z.string(), z.string()).openapi({
  description: "Text by locale; `en` is always present.",
  example: { en: "Customer-support FAQ" },
});

const fields = {
  id: z.string().openapi({ example: "customer-support-faq" }),
  version: z.string().openapi({ example: "1.0.0" }),
  category: z.enum(TEMPLATE_CATEGORIES),
  language: z.enum(["en", "zh"]),
  name: Localized,
  description: Localized,
  keywords: z.array(z.string()),
  starter_questions: z.array(z.string()),
};

export const TemplateSummarySchema = z
  .object({
    ...fields,
    documents: z.number().int().openapi({ description: "How many sample documents it uploads." }),
    golden_questions: z.number().int(),
    stated_recall: z.number().openapi({ description: "Share of golden questions whose document is found." }),
  })
  .openapi("TemplateSummary");

export const TemplateSchema = z
  .object({
    ...fields,
    knowledge_base: z.object({
      name: z.string(),
      description: z.string(),
      language: z.string(),
      chunk_size: z.number().int(),
      chunk_overlap: z.number().int(),
      prompt_template: z.string(),
    }),
    embed: z.object({
      name: z.string(),
      greeting: z.string(),
      theme: z.record(z.string(), z.string()),
      default_language: z.string().nullable(),
      allowed_origins: z.array(z.string()),
    }),
    sample_documents: z.array(
      z.object({
        filename: z.string(),
        title: z.string(),
        licence: z.string().openapi({ description: "SPDX id", example: "CC0-1.0" }),
        source: z.string(),
        text: z.string().openapi({ description: "Markdown, as uploaded." }),
      }),
    ),
    golden: z.object({
      top_k: z.number().int(),
      stated_recall: z.number(),
      questions: z.array(
        z.object({ question: z.string(), expected_document: z.string(), expected_answer: z.string() }),
      ),
    }),
  })
  .openapi("Template");

export const ApplyTemplateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({
      description: "Name of the new knowledge base and embed (default: the template's).",
    }),
    allowed_origins: z
      .array(z.string().trim().min(1).max(300))
      .max(50)
      .optional()
      .openapi({
        description: "Sites allowed to run the widget; templates ship none, so add yours here or later.",
        example: ["https://www.example.com"],
      }),
    wait_seconds: z.number().int().min(1).max(300).optional().openapi({
      description: "How long to wait for the sample documents to be processed (default 60).",
    }),
  })
  .openapi("ApplyTemplate");

const GoldenQuestionResult = z.object({
  question: z.string(),
  expected_document: z.string(),
  rank: z.number().int().nullable(),
  found: z.boolean(),
  answer: z.string(),
  answer_matches: z.boolean(),
});

export const AppliedTemplateSchema = z
  .object({
    template: z.object({ id: z.string(), version: z.string() }),
    knowledge_base_id: z.string(),
    embed_id: z.string(),
    embed_signing_secret: z.string().openapi({ description: "Shown once, like POST /v1/embeds." }),
    documents: z.array(z.object({ id: z.string(), filename: z.string(), status: z.string() })),
    ready: z.boolean(),
    golden: z.object({
      top_k: z.number().int(),
      stated_recall: z.number(),
      recall: z.number(),
      meets_stated: z.boolean(),
      answer_match_rate: z.number(),
      questions: z.array(GoldenQuestionResult),
    }),
  })
  .openapi("AppliedTemplate");

export const RecommendBody = z
  .object({
    knowledge_base_id: z.string().min(1).max(64).openapi({ example: "kb_01jc8w7k3m" }),
    limit: z.number().int().min(1).max(20).default(3),
  })
  .openapi("RecommendTemplates");

export const RecommendationsSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        score: z.number().openapi({ description: "Cosine similarity, 0..1." }),
        matched_terms: z.array(z.string()),
        template: TemplateSummarySchema,
      }),
    ),
  })
  .openapi("TemplateRecommendations");

export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;
export type TemplateDetail = z.infer<typeof TemplateSchema>;

export function toSummary(b: TemplateBundle): TemplateSummary {
  return {
    id: b.id,
    version: b.version,
    category: b.category,
    language: b.language,
    name: b.name,
    description: b.description,
    keywords: b.keywords,
    starter_questions: b.starter_questions,
    documents: b.sample_documents.length,
    golden_questions: b.golden.questions.length,
    stated_recall: b.golden.stated_recall,
  };
}

export function toDetail(b: TemplateBundle): TemplateDetail {
  return {
    ...toSummary(b),
    knowledge_base: b.knowledge_base,
    embed: b.embed,
    sample_documents: b.sample_documents.map((d) => ({
      filename: d.filename,
      title: d.title,
      licence: d.licence,
      source: d.source,
      text: d.content.join("\n"),
    })),
    golden: b.golden,
  };
}
