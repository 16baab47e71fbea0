import { z } from "@hono/zod-openapi";
import type { knowledgeBases } from "../../db/schema.js";
import { KB_LIMITS, LANGUAGES, PROMPT_TEMPLATES } from "../../services/knowledge-bases/settings.js";

export const KbSchema = z
  .object({
    id: z.string().openapi({ example: "kb_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    name: z.string(),
    description: z.string(),
    language: z.enum(LANGUAGES),
    chunk_size: z.number().int(),
    chunk_overlap: z.number().int(),
    prompt_template: z.enum(PROMPT_TEMPLATES),
    embedder: z.string().openapi({
      description:
        'What embeds this knowledge base\'s chunks and queries: "default" (the deployment\'s embedder) or "plugin:<id>" (an embedder plugin).',
      example: "default",
    }),
    embedder_dimension: z.number().int().nullable().openapi({
      description:
        "An embedder plugin's vector dimension, learned from its first vectors (null before; null for the default).",
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("KnowledgeBase");

const fields = {
  name: z.string().trim().min(1).max(KB_LIMITS.nameMax).openapi({ example: "Product manuals" }),
  description: z
    .string()
    .max(KB_LIMITS.descriptionMax)
    .openapi({ example: "Manuals for all current products" }),
  language: z
    .enum(LANGUAGES)
    .openapi({ description: "Language hint: picks the prompt variant (auto detects per question)." }),
  chunk_size: z
    .number()
    .int()
    .min(KB_LIMITS.chunkSize.min)
    .max(KB_LIMITS.chunkSize.max)
    .openapi({ description: `Target chunk size in tokens (default ${KB_LIMITS.chunkSize.default}).` }),
  chunk_overlap: z.number().int().min(0).max(KB_LIMITS.chunkSize.max).openapi({
    description: "Tokens carried over between chunks; less than half of chunk_size (default 60).",
  }),
  prompt_template: z.enum(PROMPT_TEMPLATES).openapi({ description: "Default answer template for /v1/ask." }),
  embedder: z.string().min(1).max(200).openapi({
    description:
      '"default" (the deployment\'s embedder) or "plugin:<id>", an embedder plugin enabled for the organization (else 400 embedder_not_enabled). Changes only while the knowledge base has no documents (else 409 kb_not_empty).',
    example: "default",
  }),
};

export const CreateKbBody = z
  .strictObject({
    name: fields.name,
    description: fields.description.optional(),
    language: fields.language.optional(),
    chunk_size: fields.chunk_size.optional(),
    chunk_overlap: fields.chunk_overlap.optional(),
    prompt_template: fields.prompt_template.optional(),
    embedder: fields.embedder.optional(),
  })
  .openapi("CreateKnowledgeBase");

export const UpdateKbBody = z
  .strictObject({
    name: fields.name.optional(),
    description: fields.description.optional(),
    language: fields.language.optional(),
    chunk_size: fields.chunk_size.optional(),
    chunk_overlap: fields.chunk_overlap.optional(),
    prompt_template: fields.prompt_template.optional(),
    embedder: fields.embedder.optional(),
  })
  .openapi("UpdateKnowledgeBase");

export const KbIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export function toKb(row: typeof knowledgeBases.$inferSelect): z.infer<typeof KbSchema> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    language: row.language as z.infer<typeof KbSchema>["language"],
    chunk_size: row.chunkSize,
    chunk_overlap: row.chunkOverlap,
    prompt_template: row.promptTemplate as z.infer<typeof KbSchema>["prompt_template"],
    embedder: row.embedder ?? "default",
    embedder_dimension: row.embedderDimension,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function fromKbBody(b: z.infer<typeof UpdateKbBody>) {
  return {
    name: b.name,
    description: b.description,
    language: b.language,
    chunkSize: b.chunk_size,
    chunkOverlap: b.chunk_overlap,
    promptTemplate: b.prompt_template,
    embedder: b.embedder,
  };
}
