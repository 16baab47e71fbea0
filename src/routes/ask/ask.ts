import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { collectAsk } from "../../services/ask/collect.js";
import { prepareAsk } from "../../services/ask/prepare.js";
import { runAsk } from "../../services/ask/run.js";
import { errorResponses, jsonBody, security } from "../common.js";
import { SDK_SAMPLES } from "../sdk-samples.js";
import { AskBody, AskJsonResponse, SSE_DESCRIPTION } from "./schema.js";
import { sseResponse } from "./sse.js";

export const route = createRoute({
  method: "post",
  path: "/ask",
  tags: ["Search and ask"],
  summary: "Answer a question from knowledge bases with one or more models, with [n] citations (scope query)",
  security,
  "x-codeSamples": SDK_SAMPLES.ask,
  request: {
    body: jsonBody(AskBody),
    headers: z.object({
      "idempotency-key": z
        .string()
        .regex(/^[\w.\-:]{1,128}$/, "1-128 of A-Z a-z 0-9 _ . - :")
        .optional()
        .openapi({
          description:
            "Send the same key when retrying an ask (a dropped connection, a process that died mid-stream): each model is charged once per key, whichever attempt answers; the retry's ledger row keeps its provider cost with a charge of 0.",
          example: "ask-7f3c2a",
        }),
    }),
  },
  responses: {
    200: {
      description: `The answers. ${SSE_DESCRIPTION}`,
      content: {
        "text/event-stream": { schema: z.string().openapi({ description: SSE_DESCRIPTION }) },
        "application/json": { schema: AskJsonResponse },
      },
    },
    ...errorResponses(402, 403, 404, 429, 503),
  },
});

export type AskRequest = z.input<typeof AskBody>;
export type AskResult = z.infer<typeof AskJsonResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const started = performance.now();
    const b = c.req.valid("json");
    // Client gone => abort every upstream call; what they consumed is still billed.
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const { prepared, sources } = await prepareAsk({
      ctx: { ...serviceCtx(c, "query"), ...(idempotencyKey ? { idempotencyKey } : {}) },
      input: {
        question: b.question,
        kbIds: b.knowledge_base_ids,
        models: b.models,
        mode: b.mode,
        template: b.template,
        filter: b.filter,
        documentIds: b.document_ids,
        documentVersionIds: b.document_version_ids,
        topK: b.top_k,
        maxTokens: b.max_tokens,
        temperature: b.temperature,
      },
      signal: controller.signal,
    });
    const events = runAsk(prepared, sources, controller.signal, started);
    if (!b.stream) return c.json(await collectAsk(events), 200);
    return sseResponse(c, events, onClientGone);
  });
}
