import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import type { ChatMessage } from "../../models/types.js";
import { collectAsk } from "../../services/ask/collect.js";
import { runAsk } from "../../services/ask/run.js";
import { prepareResponse } from "../../services/responses/prepare.js";
import { sseResponse } from "../ask/sse.js";
import { unsupportedFields } from "../chat/fields.js";
import { errorResponses, jsonBody, security } from "../common.js";
import { RESPONSES_UNSUPPORTED, unsupportedItems } from "./fields.js";
import { ResponseCreateBody, ResponseObject, STREAM_DESCRIPTION } from "./schema.js";
import { eventFramer, type ResponseMeta, toResponse } from "./wire.js";

export const route = createRoute({
  method: "post",
  path: "/responses",
  tags: ["OpenAI-compatible"],
  summary: "Response on OpenAI's Responses protocol, with the file_search tool (scope query)",
  description:
    "Drop-in for OpenAI's `POST /responses`. A `file_search` tool grounds the answer in its vector stores (knowledge bases); the text keeps its `[n]` markers and each is a `file_citation` annotation carrying `page_start`, `page_end`, `chunk_id` and `score` as extensions. Multi-turn `input` goes through the conversation-aware rewrite. Responses are not stored, so `previous_response_id` is refused: send earlier turns in `input`. Fields this door cannot honour get a 400 naming them.",
  security,
  "x-codeSamples": [
    {
      lang: "curl",
      source:
        'curl -s $BASE/v1/responses -H "authorization: Bearer $KEY" -H "content-type: application/json" \\\n  -d \'{"model":"extractive","input":"What is a trace tree?","tools":[{"type":"file_search","vector_store_ids":["kb_..."]}]}\'',
    },
    {
      lang: "TypeScript",
      source:
        'import OpenAI from "openai";\nconst client = new OpenAI({ baseURL: BASE + "/v1", apiKey: KEY });\nconst r = await client.responses.create({\n  model: "extractive",\n  input: "What is a trace tree?",\n  tools: [{ type: "file_search", vector_store_ids: ["kb_..."] }],\n});\nconsole.log(r.output_text);',
    },
    {
      lang: "Python",
      source:
        'from openai import OpenAI\nclient = OpenAI(base_url=f"{BASE}/v1", api_key=KEY)\nr = client.responses.create(\n    model="extractive",\n    input="What is a trace tree?",\n    tools=[{"type": "file_search", "vector_store_ids": ["kb_..."]}],\n)\nprint(r.output_text)',
    },
  ],
  request: { body: jsonBody(ResponseCreateBody) },
  responses: {
    200: {
      description: `The response. ${STREAM_DESCRIPTION}`,
      content: {
        "application/json": { schema: ResponseObject },
        "text/event-stream": { schema: z.string().openapi({ description: STREAM_DESCRIPTION }) },
      },
    },
    ...errorResponses(402, 403, 404, 429, 502, 503),
  },
});

export type ResponseCreateRequest = z.input<typeof ResponseCreateBody>;
type Body = z.infer<typeof ResponseCreateBody>;

const KNOWN_FIELDS = Object.keys(ResponseCreateBody.shape);

/** Runs before validation so a function tool or an image is refused by name rather than dropped. */
const refuseUnsupported = createMiddleware<AppEnv>(async (c, next) => {
  const body = await c.req.json().catch(() => undefined);
  const errors = [...unsupportedFields(body, KNOWN_FIELDS, RESPONSES_UNSUPPORTED), ...unsupportedItems(body)];
  if (errors.length > 0) {
    const summary = errors.map((e) => `${e.field} (${e.message})`).join("; ");
    throw new ApiError("validation_failed", `Unsupported in this API: ${summary}. Remove them and retry.`, {
      errors,
    });
  }
  await next();
});

/** `instructions` and the input items as the chat messages prepareCompletion takes. */
function toMessages(b: Body): ChatMessage[] {
  const messages: ChatMessage[] = b.instructions ? [{ role: "system", content: b.instructions }] : [];
  if (typeof b.input === "string") return [...messages, { role: "user", content: b.input }];
  b.input.forEach((item, i) => {
    // An earlier output's search call: retrieval runs again for the rewritten question.
    if (item.type === "file_search_call") return;
    if (!item.role || item.content === undefined) {
      throw new ApiError("validation_failed", `input.${i} is a message without a role or content.`, {
        errors: [{ field: `input.${i}`, message: "a message needs role and content" }],
      });
    }
    const content =
      typeof item.content === "string" ? item.content : item.content.map((p) => p.text).join("\n");
    messages.push({ role: item.role === "developer" ? "system" : item.role, content });
  });
  return messages;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.use("/responses", refuseUnsupported);
  app.openapi(route, async (c) => {
    const started = performance.now();
    const b = c.req.valid("json");
    const ctx = serviceCtx(c, "query");
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
    const tool = b.tools?.[0];
    const prepared = await prepareResponse({
      ctx,
      input: {
        model: b.model,
        messages: toMessages(b),
        topK: b.top_k,
        ...(tool
          ? {
              fileSearch: {
                vectorStoreIds: tool.vector_store_ids,
                ...(tool.filters ? { filters: tool.filters } : {}),
                ...(tool.max_num_results ? { maxResults: tool.max_num_results } : {}),
              },
            }
          : {}),
        ...(b.template ? { template: b.template } : {}),
        ...(b.max_output_tokens != null ? { maxTokens: b.max_output_tokens } : {}),
        ...(b.temperature != null ? { temperature: b.temperature } : {}),
      },
      signal: controller.signal,
    });
    const meta: ResponseMeta = {
      id: `resp_${ctx.requestId}`,
      createdAt: Math.floor(Date.now() / 1000),
      model: b.model,
      instructions: b.instructions ?? null,
      metadata: b.metadata ?? null,
      temperature: b.temperature ?? null,
      maxOutputTokens: b.max_output_tokens ?? null,
      tools: b.tools ?? [],
      toolChoice: b.tool_choice ?? "auto",
      query: prepared.grounded ? (prepared.query?.text ?? null) : null,
      includeResults: b.include?.includes("file_search_call.results") ?? false,
      files: prepared.files,
    };
    const events = runAsk(prepared.prepared, prepared.sources, controller.signal, started);
    if (b.stream) return sseResponse(c, events, onClientGone, eventFramer(meta));
    const collected = await collectAsk(events);
    const answer = collected.answers[0];
    if (answer?.status !== "ok") {
      const message = answer?.error?.message ?? "the model call failed";
      throw new ApiError(
        "upstream_error",
        `The model could not answer: ${message}. Retry, or pick another model.`,
        {
          data: { model_error: answer?.error?.code ?? "failed" },
        },
      );
    }
    const result = toResponse(meta, {
      status: "completed",
      sources: collected.sources,
      text: answer.text,
      usage: answer.usage,
      error: null,
    });
    return c.json(result, 200);
  });
}
