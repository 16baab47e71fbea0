import { z } from "@hono/zod-openapi";
import { PROMPT_TEMPLATES } from "../../services/knowledge-bases/settings.js";
import { FilterField, KbIdsField, TopKField } from "../search/schema.js";

const TextPart = z.strictObject({ type: z.literal("text"), text: z.string() });

const Message = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant"]).openapi({
      description: "`developer` counts as `system`. Tool and function messages are not supported.",
    }),
    content: z
      .union([z.string(), z.array(TextPart), z.null()])
      .openapi({ description: "Text, or an array of text parts (no images or audio)." }),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
  })
  .openapi("ChatMessage");

// Not strict: unsupportedFields (fields.ts) names every field this door does not take, with a reason.
export const ChatCompletionBody = z
  .object({
    model: z.string().min(1).max(2000).openapi({
      description:
        'A model id from GET /v1/models. Grounding alias: "<model>@<kb_id>[,<kb_id>]" answers from those knowledge bases; "@<kb_id>" uses the default model.',
      example: "extractive@kb_01jc8w7k3m9x2p4q5r6s7t8v9w",
    }),
    messages: z.array(Message).min(1).max(200),
    stream: z.boolean().nullable().optional(),
    stream_options: z
      .strictObject({ include_usage: z.boolean().optional() })
      .nullable()
      .optional()
      .openapi({ description: "include_usage: a last chunk with `usage` and no choices." }),
    max_tokens: z.number().int().min(1).max(32_768).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).max(32_768).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    n: z.literal(1).nullable().optional(),
    user: z.string().max(256).optional().openapi({ description: "Accepted and ignored." }),
    metadata: z.record(z.string(), z.string()).nullable().optional().openapi({ description: "Ignored." }),
    store: z.literal(false).nullable().optional(),
    knowledge_base_ids: KbIdsField.optional().openapi({
      description:
        "Extension: answer from these knowledge bases with [n] citations (Python: extra_body). Without it (and without a model alias) the completion is plain chat.",
    }),
    filter: FilterField,
    top_k: TopKField,
    template: z.enum(PROMPT_TEMPLATES).optional().openapi({ description: "Extension: answer template." }),
  })
  .openapi("ChatCompletionRequest");

export const Citation = z
  .object({
    index: z.number().int().openapi({ description: "The n of the [n] markers in the content." }),
    cited: z.boolean().openapi({ description: "Whether the answer cites it." }),
    document_id: z.string(),
    document_version_id: z.string(),
    knowledge_base_id: z.string(),
    title: z.string(),
    page_start: z.number().int().nullable(),
    page_end: z.number().int().nullable(),
    chunk_id: z.string(),
    score: z.number(),
    text: z.string(),
  })
  .openapi("ChatCitation");

export const CompletionUsage = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int() }),
    cost_micros: z.number().int().openapi({ description: "Extension: the ledger's charge, micro-dollars." }),
    usage_source: z.enum(["provider", "estimated"]),
  })
  .openapi("CompletionUsage");

export const ChatCompletion = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal("assistant"),
          content: z.string(),
          refusal: z.null(),
          citations: z.array(Citation).openapi({ description: "Extension: the sources [n] refers to." }),
        }),
        finish_reason: z.enum(["stop", "length"]),
        logprobs: z.null(),
      }),
    ),
    usage: CompletionUsage,
    citations: z.array(Citation).openapi({ description: "Extension: same as choices[0].message.citations." }),
  })
  .openapi("ChatCompletion");

export const STREAM_DESCRIPTION = [
  "With `stream: true`, Server-Sent Events of `chat.completion.chunk` objects, as OpenAI sends them:",
  "a first chunk with the role, content deltas, a last chunk with `finish_reason` and the `citations`",
  "extension, then (with `stream_options.include_usage`) a chunk with `usage` and no choices, then",
  "`data: [DONE]`. A model failing mid-stream sends `data: {error}`.",
].join(" ");
