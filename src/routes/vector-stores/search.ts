import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import type { AttributeFilter } from "../../services/vector-stores/filters.js";
import { searchVectorStore } from "../../services/vector-stores/search.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { StoreIdParam } from "./schema.js";

const Scalar = z.union([z.string().max(1024), z.number(), z.boolean()]);
const Comparison = z.strictObject({
  type: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"]),
  key: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  value: z.union([Scalar, z.array(Scalar).max(100)]),
});
// Two levels are all the mapping can express; deeper input is refused by the service with the field named.
const Compound: z.ZodType<AttributeFilter> = z.lazy(() =>
  z.strictObject({
    type: z.enum(["and", "or"]),
    filters: z
      .array(z.union([Comparison, Compound]))
      .min(1)
      .max(32),
  }),
);
export const Filters = z.union([Comparison, Compound]).openapi({
  description:
    "OpenAI attribute filters: comparisons eq, ne, gt, gte, lt, lte, in, nin on file attributes, combined with and/or (an `and` may hold one `or`); mapped to Qdrant must / should / must_not.",
});

export const SearchBody = z
  .strictObject({
    query: z.union([
      z.string().trim().min(1).max(4000),
      z.array(z.string().trim().min(1).max(4000)).min(1).max(10),
    ]),
    filters: Filters.optional(),
    max_num_results: z.number().int().min(1).max(50).default(10),
    ranking_options: z
      .strictObject({
        ranker: z.string().max(64).optional(),
        score_threshold: z.number().min(0).max(1).optional(),
      })
      .optional(),
    rewrite_query: z.boolean().default(false),
  })
  .openapi("VectorStoreSearchRequest");

const Result = z.object({
  file_id: z.string(),
  filename: z.string(),
  score: z.number(),
  attributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .openapi({ description: "The file's attributes plus page_start and page_end (extension)." }),
  content: z.array(z.object({ type: z.literal("text"), text: z.string() })),
});

const route = createRoute({
  method: "post",
  path: "/vector_stores/{vector_store_id}/search",
  tags: ["OpenAI-compatible"],
  summary: "Search a vector store (hybrid retrieval; scope query)",
  security,
  request: { params: StoreIdParam, body: jsonBody(SearchBody) },
  responses: {
    200: jsonResponse(
      z
        .object({
          object: z.literal("vector_store.search_results.page"),
          search_query: z.array(z.string()),
          data: z.array(Result),
          has_more: z.literal(false),
          next_page: z.null(),
        })
        .openapi("VectorStoreSearchResults"),
      "Results, best first.",
    ),
    ...errorResponses(403, 404, 429, 503),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const r = await searchVectorStore({
      ctx: serviceCtx(c, "query"),
      input: {
        kbId: c.req.valid("param").vector_store_id,
        queries: typeof b.query === "string" ? [b.query] : b.query,
        maxResults: b.max_num_results,
        rewrite: b.rewrite_query,
        ...(b.filters ? { filters: b.filters } : {}),
        ...(b.ranking_options?.score_threshold !== undefined
          ? { scoreThreshold: b.ranking_options.score_threshold }
          : {}),
      },
    });
    return c.json(
      {
        object: "vector_store.search_results.page" as const,
        search_query: r.searchQuery,
        data: r.hits.map((h) => ({
          file_id: h.fileId,
          filename: h.filename,
          score: h.score,
          attributes: h.attributes,
          content: [{ type: "text" as const, text: h.text }],
        })),
        has_more: false as const,
        next_page: null,
      },
      200,
    );
  });
}
