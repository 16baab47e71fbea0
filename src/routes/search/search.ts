import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { meterRequest } from "../../services/billing/quota.js";
import { searchChunks } from "../../services/search/search.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { SDK_SAMPLES } from "../sdk-samples.js";
import { SearchBody, SearchResponse, toChunk } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/search",
  tags: ["Search and ask"],
  summary: "Search knowledge bases for the chunks that best match a query (scope query)",
  security,
  "x-codeSamples": SDK_SAMPLES.search,
  request: { body: jsonBody(SearchBody) },
  responses: {
    200: jsonResponse(SearchResponse, "The best chunks, best first."),
    ...errorResponses(403, 404, 429, 503),
  },
});

export type SearchRequest = z.input<typeof SearchBody>;
export type SearchResult = z.infer<typeof SearchResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const ctx = serviceCtx(c, "query");
    await meterRequest(ctx);
    const result = await searchChunks({
      ctx,
      input: {
        query: b.query,
        kbIds: b.knowledge_base_ids,
        filter: b.filter,
        documentIds: b.document_ids,
        documentVersionIds: b.document_version_ids,
        topK: b.top_k,
        mode: b.mode,
        withText: b.with_text,
      },
      signal: c.req.raw.signal,
    });
    return c.json({ data: result.chunks.map(toChunk) }, 200);
  });
}
