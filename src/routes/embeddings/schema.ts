import { z } from "@hono/zod-openapi";

export const EmbeddingsBody = z
  .strictObject({
    input: z
      .union([z.string().min(1).max(32_000), z.array(z.string().min(1).max(32_000)).min(1).max(2048)])
      .openapi({ description: "Text or texts (1-2048). Token arrays are not supported." }),
    model: z.string().min(1).max(200).openapi({
      description:
        'The embedder id (GET /v1/models → embedding_model), "default", or "plugin:<id>" for an embedder plugin this organization has enabled (GET /v1/models → embedding_models).',
      example: "default",
    }),
    encoding_format: z.enum(["float", "base64"]).default("float").openapi({
      description: "float: number arrays; base64: little-endian float32 bytes, as OpenAI sends them.",
    }),
    dimensions: z.number().int().positive().optional().openapi({
      description: "Must equal the embedder's dimension when given (vectors are not truncated).",
    }),
    user: z.string().max(256).optional().openapi({ description: "Accepted and ignored." }),
  })
  .openapi("EmbeddingsRequest");

export const EmbeddingsResponse = z
  .object({
    object: z.literal("list"),
    model: z.string(),
    data: z.array(
      z.object({
        object: z.literal("embedding"),
        index: z.number().int(),
        embedding: z.union([z.array(z.number()), z.string()]),
      }),
    ),
    usage: z.object({
      prompt_tokens: z.number().int(),
      total_tokens: z.number().int(),
      cost_micros: z
        .number()
        .int()
        .openapi({ description: "Extension: the ledger's charge, micro-dollars." }),
      usage_source: z.enum(["provider", "estimated"]),
    }),
  })
  .openapi("EmbeddingsResult");
