import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createEmbeddings } from "../../services/embeddings/create.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { EmbeddingsBody, EmbeddingsResponse } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/embeddings",
  tags: ["OpenAI-compatible"],
  summary:
    "Dense embeddings from the configured embedder or an enabled embedder plugin, on OpenAI's wire protocol (scope query)",
  security,
  request: { body: jsonBody(EmbeddingsBody) },
  responses: {
    200: jsonResponse(EmbeddingsResponse, "One vector per input, in order."),
    ...errorResponses(403, 429, 502, 503),
  },
});

export type EmbeddingsRequest = z.input<typeof EmbeddingsBody>;

/** OpenAI's base64 format: the float32 array's bytes, little-endian. */
function toBase64(v: number[]): string {
  const floats = new Float32Array(v);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const ctx = serviceCtx(c, "query");
    const texts = typeof b.input === "string" ? [b.input] : b.input;
    const r = await createEmbeddings({
      ctx,
      input: { model: b.model, texts, ...(b.dimensions !== undefined ? { dimensions: b.dimensions } : {}) },
      signal: c.req.raw.signal,
    });
    return c.json(
      {
        object: "list" as const,
        model: r.model,
        data: r.vectors.map((v, index) => ({
          object: "embedding" as const,
          index,
          embedding: b.encoding_format === "base64" ? toBase64(v) : v,
        })),
        usage: {
          prompt_tokens: r.tokens,
          total_tokens: r.tokens,
          cost_micros: r.costMicros,
          usage_source: r.usageSource,
        },
      },
      200,
    );
  });
}
