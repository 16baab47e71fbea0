import { z } from "@hono/zod-openapi";
import { PROMPT_TEMPLATES } from "../../services/knowledge-bases/settings.js";
import { CompletionUsage } from "../chat/schema.js";
import { TopKField } from "../search/schema.js";
import { Filters } from "../vector-stores/search.js";

const TextPart = z.object({
  type: z.enum(["input_text", "output_text"]),
  text: z.string(),
});

// Not strict: items copied from an earlier response's `output` carry ids, statuses and annotations.
const InputItem = z
  .object({
    type: z.enum(["message", "file_search_call"]).optional().openapi({
      description:
        "`message` (the default), or a `file_search_call` copied from an earlier output, which is skipped: retrieval runs again for the new question.",
    }),
    role: z.enum(["system", "developer", "user", "assistant"]).optional(),
    content: z.union([z.string(), z.array(TextPart)]).optional(),
  })
  .openapi("ResponseInputItem");

export const FileSearchTool = z
  .object({
    type: z.literal("file_search"),
    vector_store_ids: z.array(z.string().min(1).max(64)).min(1).max(20).openapi({
      description: "Vector stores (knowledge bases) to answer from.",
    }),
    filters: Filters.nullable().optional(),
    max_num_results: z.number().int().min(1).max(50).optional(),
    // Strict: a score_threshold would be silently ignored (the knowledge base's retrieval ranks), so it
    // is refused by name; /v1/vector_stores/{id}/search honours it.
    ranking_options: z
      .strictObject({ ranker: z.string().max(64).optional() })
      .optional()
      .openapi({
        description: "`ranker` is accepted; `score_threshold` is refused (use vector store search).",
      }),
  })
  .openapi("FileSearchTool");

// Not strict: the refuse middleware (create.ts) names every field this door does not take.
export const ResponseCreateBody = z
  .object({
    model: z.string().min(1).max(2000).openapi({
      description: 'A model id from GET /v1/models (the "<model>@<kb_id>" grounding alias works too).',
      example: "extractive",
    }),
    input: z.union([z.string().min(1), z.array(InputItem).min(1).max(200)]).openapi({
      description: "The question, or the conversation as message items; the last must be a user message.",
    }),
    instructions: z.string().max(20_000).nullable().optional(),
    tools: z.array(FileSearchTool).max(1).optional().openapi({
      description:
        "At most one `file_search` tool: answers are grounded in its vector stores with citations.",
    }),
    tool_choice: z
      .union([z.enum(["auto", "required"]), z.object({ type: z.literal("file_search") })])
      .optional(),
    include: z
      .array(z.literal("file_search_call.results"))
      .nullable()
      .optional()
      .openapi({ description: "`file_search_call.results` adds the retrieved chunks to the call item." }),
    stream: z.boolean().nullable().optional(),
    max_output_tokens: z.number().int().min(1).max(32_768).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    parallel_tool_calls: z
      .boolean()
      .nullable()
      .optional()
      .openapi({ description: "Accepted; one tool runs." }),
    metadata: z.record(z.string(), z.string()).nullable().optional().openapi({ description: "Echoed back." }),
    user: z.string().max(256).optional().openapi({ description: "Accepted and ignored." }),
    store: z.literal(false).nullable().optional(),
    top_k: TopKField,
    template: z.enum(PROMPT_TEMPLATES).optional().openapi({ description: "Extension: answer template." }),
  })
  .openapi("ResponseCreateRequest");

export const FileCitation = z
  .object({
    type: z.literal("file_citation"),
    file_id: z.string(),
    filename: z.string(),
    index: z.number().int().openapi({ description: "Where in the text the [n] marker stands." }),
    source_index: z.number().int().openapi({ description: "Extension: the n of the [n] marker." }),
    document_id: z.string(),
    knowledge_base_id: z.string(),
    title: z.string(),
    page_start: z.number().int().nullable().openapi({ description: "Extension: first page cited." }),
    page_end: z.number().int().nullable(),
    chunk_id: z.string(),
    score: z.number(),
  })
  .openapi("ResponseFileCitation");

const SearchResult = z.object({
  file_id: z.string(),
  filename: z.string(),
  score: z.number(),
  text: z.string(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

const FileSearchCall = z.object({
  type: z.literal("file_search_call"),
  id: z.string(),
  status: z.literal("completed"),
  queries: z.array(z.string()),
  results: z.array(SearchResult).nullable(),
});

const OutputMessage = z.object({
  type: z.literal("message"),
  id: z.string(),
  role: z.literal("assistant"),
  status: z.enum(["in_progress", "completed", "incomplete"]),
  content: z.array(
    z.object({
      type: z.literal("output_text"),
      text: z.string(),
      annotations: z.array(FileCitation),
      logprobs: z
        .array(z.object({ token: z.string(), logprob: z.number() }))
        .openapi({ description: "Always empty." }),
    }),
  ),
});

export const ResponseUsage = z
  .object({
    input_tokens: z.number().int(),
    input_tokens_details: z.object({ cached_tokens: z.number().int(), cache_write_tokens: z.number().int() }),
    output_tokens: z.number().int(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
    total_tokens: z.number().int(),
    cost_micros: CompletionUsage.shape.cost_micros,
    usage_source: CompletionUsage.shape.usage_source,
  })
  .openapi("ResponseUsage");

export const ResponseObject = z
  .object({
    id: z.string(),
    object: z.literal("response"),
    created_at: z.number().int(),
    completed_at: z.number().int().nullable(),
    status: z.enum(["in_progress", "completed", "failed"]),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    incomplete_details: z.null(),
    instructions: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    model: z.string(),
    output: z.array(z.union([FileSearchCall, OutputMessage])),
    output_text: z.string().openapi({ description: "All output text, as the SDKs' `output_text`." }),
    parallel_tool_calls: z.boolean(),
    previous_response_id: z.null(),
    store: z.literal(false),
    temperature: z.number().nullable(),
    text: z.object({ format: z.object({ type: z.literal("text") }) }),
    tool_choice: z.union([z.string(), z.object({ type: z.string() })]),
    tools: z.array(FileSearchTool),
    top_p: z.null(),
    max_output_tokens: z.number().int().nullable(),
    usage: ResponseUsage.nullable(),
  })
  .openapi("Response");

export const STREAM_DESCRIPTION = [
  "With `stream: true`, Server-Sent Events in the Responses protocol, each `event: <type>` with the event",
  "as `data`: response.created, response.in_progress; with file_search the call's output_item.added,",
  "file_search_call.in_progress / searching / completed and output_item.done; then the message's",
  "output_item.added, content_part.added, output_text.delta events, one output_text.annotation.added per",
  "file citation (pages as an extension), output_text.done, content_part.done, output_item.done, and",
  "response.completed with usage. A model failing mid-stream ends with response.failed.",
].join(" ");
