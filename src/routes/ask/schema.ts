import { z } from "@hono/zod-openapi";
import { PROMPT_TEMPLATES } from "../../services/knowledge-bases/settings.js";
import { UsdString } from "../money.js";
import {
  DocumentIdsField,
  DocumentVersionIdsField,
  FilterField,
  KbIdsField,
  TopKField,
} from "../search/schema.js";

export const AskBody = z
  .strictObject({
    question: z.string().trim().min(1).max(4000).openapi({ example: "How do I reset the router?" }),
    knowledge_base_ids: KbIdsField,
    models: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(5)
      .refine((ids) => new Set(ids).size === ids.length, "list each model once")
      .optional()
      .openapi({
        description: "1-5 model ids from GET /v1/models; default: the deployment's default model.",
        example: ["gpt-4o-mini", "deepseek-chat"],
      }),
    mode: z.enum(["compare", "fallback"]).default("compare").openapi({
      description:
        "compare: every model answers side by side; fallback: the next model answers only if the previous one failed before its first token.",
    }),
    stream: z
      .boolean()
      .default(true)
      .openapi({ description: "true (default): Server-Sent Events; false: one JSON document." }),
    template: z
      .enum(PROMPT_TEMPLATES)
      .optional()
      .openapi({ description: "Answer template; default: the first knowledge base's prompt_template." }),
    document_ids: DocumentIdsField,
    document_version_ids: DocumentVersionIdsField,
    filter: FilterField,
    top_k: TopKField,
    max_tokens: z
      .number()
      .int()
      .min(1)
      .max(32_768)
      .optional()
      .openapi({ description: "Output cap per model (default 1024 or the model's limit)." }),
    temperature: z.number().min(0).max(2).optional(),
  })
  .openapi("AskRequest");

const Source = z
  .object({
    n: z.number().int().openapi({ description: "The number answers cite as [n]." }),
    chunk_id: z.string(),
    knowledge_base_id: z.string(),
    document_id: z.string(),
    document_version_id: z.string(),
    title: z.string(),
    page_start: z.number().int().nullable(),
    page_end: z.number().int().nullable(),
    heading_path: z.array(z.string()),
    char_start: z.number().int(),
    char_end: z.number().int(),
    score: z.number(),
    text: z.string(),
  })
  .openapi("AskSource");

const CallStatus = z.enum(["ok", "failed", "cut_off", "aborted"]);

const Usage = z
  .object({
    model: z.string(),
    status: CallStatus,
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cached_input_tokens: z.number().int(),
    usage_source: z.enum(["provider", "estimated"]),
    cost_micros: z
      .number()
      .int()
      .openapi({ description: "Exact charge in micro-dollars (what the ledger holds)." }),
    cost_usd: UsdString,
    charge_micros: z
      .number()
      .int()
      .openapi({ description: "What the customer is charged: cost × the plan's markup (transparent cost)." }),
    charge_usd: UsdString,
    latency_ms: z.number().int(),
    ttft_ms: z.number().int().nullable().openapi({ description: "Time to the first token, ms." }),
  })
  .openapi("AskUsage");

const AnswerableField = z.boolean().openapi({
  description:
    'false when the answer is "not found in the knowledge base": the model said so, or the retrieved sources held too little evidence for the question.',
});

const ModelError = z.object({ model: z.string(), code: z.string(), message: z.string() }).openapi("AskError");

const Done = z
  .object({
    models: z.array(
      z.object({
        model: z.string(),
        status: z.enum(["ok", "failed", "cut_off", "aborted", "skipped"]),
        citations: z.array(z.number().int()),
        unknown_citations: z.array(z.number().int()),
        answerable: AnswerableField,
        postprocessed_text: z.string().optional().openapi({
          description:
            "The answer after the organization's post-processor plugins, when they changed it; the streamed deltas are the model's own words (the JSON answer's `text` is this one).",
        }),
      }),
    ),
    answerable: z.boolean().openapi({ description: "True when at least one model gave an answer." }),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    embedding_tokens: z.number().int(),
    cost_micros: z.number().int(),
    cost_usd: UsdString,
    latency_ms: z.number().int(),
  })
  .openapi("AskDone");

export const AskJsonResponse = z
  .object({
    sources: z.array(Source),
    answers: z.array(
      z.object({
        model: z.string(),
        status: z.enum(["ok", "failed", "cut_off", "aborted", "skipped"]),
        text: z.string(),
        usage: Usage.nullable(),
        error: ModelError.nullable(),
        citations: z.array(z.number().int()),
        unknown_citations: z.array(z.number().int()),
        answerable: AnswerableField,
      }),
    ),
    done: Done,
  })
  .openapi("AskResult");

export const SSE_DESCRIPTION = [
  "With `stream: true`, Server-Sent Events:",
  "`sources` once ({sources: AskSource[]});",
  "`delta` ({model, text}) as each model writes;",
  "`usage` once per model call (AskUsage);",
  "`error` ({model, code, message}) when a model fails — the others go on;",
  "`done` last (AskDone, totals).",
].join(" ");
