import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listChunks } from "../../services/documents/chunks.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { DocIdParam, VersionQuery } from "./schema.js";

const ChunkSchema = z
  .object({
    ordinal: z.number().int().openapi({ description: "Position of the chunk in the document, from 0." }),
    text: z.string(),
    page_start: z.number().int().nullable().openapi({ description: "First page (PDF), else null." }),
    page_end: z.number().int().nullable(),
    heading_path: z
      .array(z.string())
      .openapi({ description: "Enclosing headings (PDF: outline entries), outermost first." }),
    char_start: z
      .number()
      .int()
      .openapi({ description: "Offset of the chunk in the document text (GET …/text)." }),
    char_end: z.number().int(),
    tokens: z.number().int().openapi({ description: "Tokens (cl100k) in the chunk." }),
  })
  .openapi("Chunk");

const ChunkPage = z
  .object({
    document_id: z.string(),
    version_id: z.string(),
    data: z.array(ChunkSchema),
    next_cursor: z.string().nullable(),
  })
  .openapi("ChunkPage");

const ChunksQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "the next_cursor of the previous page")
    .optional()
    .openapi({ description: "The `next_cursor` of the previous page." }),
}).merge(VersionQuery);

export const route = createRoute({
  method: "get",
  path: "/documents/{id}/chunks",
  tags: ["Documents"],
  summary: "List what was indexed: a document's chunks with pages, heading path and offsets (any scope)",
  description:
    "Chunks of the version searches see (or the newest version while none is ready, or `version_id`), in order.",
  security,
  request: { params: DocIdParam, query: ChunksQuery },
  responses: { 200: jsonResponse(ChunkPage, "A page of chunks."), ...errorResponses(403, 404) },
});

export type ListChunksResult = z.infer<typeof ChunkPage>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const page = await listChunks({
      ctx: tenantCtx(c),
      input: {
        id: c.req.valid("param").id,
        versionId: query.version_id,
        limit: query.limit,
        after: query.cursor === undefined ? undefined : Number(query.cursor),
      },
    });
    const body: ListChunksResult = {
      document_id: page.document.id,
      version_id: page.version.id,
      data: page.items.map((r) => ({
        ordinal: r.ordinal,
        text: r.text,
        page_start: r.pageStart,
        page_end: r.pageEnd,
        heading_path: r.headingPath,
        char_start: r.charStart,
        char_end: r.charEnd,
        tokens: r.tokens,
      })),
      next_cursor: page.nextCursor,
    };
    return c.json(body, 200);
  });
}
