import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import type { ChatMessage } from "../../models/types.js";
import { collectAsk } from "../../services/ask/collect.js";
import { runAsk } from "../../services/ask/run.js";
import { prepareCompletion } from "../../services/chat/prepare.js";
import { sseResponse } from "../ask/sse.js";
import { errorResponses, jsonBody, security } from "../common.js";
import { unsupportedFields, unsupportedMessageParts } from "./fields.js";
import { ChatCompletion, ChatCompletionBody, STREAM_DESCRIPTION } from "./schema.js";
import { chunkFramer, toCompletion } from "./wire.js";

export const route = createRoute({
  method: "post",
  path: "/chat/completions",
  tags: ["OpenAI-compatible"],
  summary: "Chat completion on OpenAI's wire protocol, optionally grounded in knowledge bases (scope query)",
  description:
    "Drop-in for OpenAI's `POST /chat/completions`. Ground answers with `knowledge_base_ids` (Python SDK: `extra_body`) or the model alias `<model>@<kb_id>`; the content keeps its `[n]` markers and `citations` (on the message, and on the last streamed chunk) lists the sources with document, title, pages, chunk and score. Fields this door cannot honour (tools, n > 1, logprobs...) get a 400 naming them.",
  security,
  request: { body: jsonBody(ChatCompletionBody) },
  responses: {
    200: {
      description: `The completion. ${STREAM_DESCRIPTION}`,
      content: {
        "application/json": { schema: ChatCompletion },
        "text/event-stream": { schema: z.string().openapi({ description: STREAM_DESCRIPTION }) },
      },
    },
    ...errorResponses(402, 403, 404, 429, 502, 503),
  },
});

export type ChatCompletionRequest = z.input<typeof ChatCompletionBody>;

const KNOWN_FIELDS = Object.keys(ChatCompletionBody.shape);

/** Runs before validation so a `tools` array is refused by name rather than dropped. */
export const refuseUnsupported = createMiddleware<AppEnv>(async (c, next) => {
  const body = await c.req.json().catch(() => undefined);
  const errors = [...unsupportedFields(body, KNOWN_FIELDS), ...unsupportedMessageParts(body)];
  if (errors.length > 0) {
    const summary = errors.map((e) => `${e.field} (${e.message})`).join("; ");
    throw new ApiError("validation_failed", `Unsupported in this API: ${summary}. Remove them and retry.`, {
      errors,
    });
  }
  await next();
});

type BodyMessage = z.infer<typeof ChatCompletionBody>["messages"][number];

function toChatMessage(m: BodyMessage): ChatMessage {
  const content = typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => p.text).join("\n");
  return { role: m.role === "developer" ? "system" : m.role, content };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.use("/chat/completions", refuseUnsupported);
  app.openapi(route, async (c) => {
    const started = performance.now();
    const b = c.req.valid("json");
    const ctx = serviceCtx(c, "query");
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
    const maxTokens = b.max_completion_tokens ?? b.max_tokens ?? undefined;
    const { prepared, sources } = await prepareCompletion({
      ctx,
      input: {
        model: b.model,
        messages: b.messages.map(toChatMessage),
        topK: b.top_k,
        ...(b.knowledge_base_ids ? { kbIds: b.knowledge_base_ids } : {}),
        ...(b.filter ? { filter: b.filter } : {}),
        ...(b.template ? { template: b.template } : {}),
        ...(maxTokens != null ? { maxTokens } : {}),
        ...(b.temperature != null ? { temperature: b.temperature } : {}),
      },
      signal: controller.signal,
    });
    const meta = { id: `chatcmpl-${ctx.requestId}`, created: Math.floor(Date.now() / 1000), model: b.model };
    const events = runAsk(prepared, sources, controller.signal, started);
    if (b.stream) {
      const framer = chunkFramer(meta, b.stream_options?.include_usage === true);
      return sseResponse(c, events, onClientGone, framer);
    }
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
    return c.json(toCompletion(meta, collected.sources, answer.text, answer.usage), 200);
  });
}
