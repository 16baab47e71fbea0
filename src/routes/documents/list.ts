import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { DOCUMENT_STATUSES, listDocuments } from "../../services/documents/list.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { DocumentSchema, toDocument } from "./schema.js";

const ListQuery = PageQuery.extend({
  status: z.enum(DOCUMENT_STATUSES).optional().openapi({ description: "Only documents in this status." }),
});
const ListResponse = z.object({ data: z.array(DocumentSchema), next_cursor: z.string().nullable() });

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/documents",
  tags: ["Documents"],
  summary: "List a knowledge base's documents (any scope)",
  security,
  request: { params: KbIdParam, query: ListQuery },
  responses: {
    200: jsonResponse(ListResponse, "A page of documents, oldest first."),
    ...errorResponses(403, 404),
  },
});

export type ListDocumentsResult = z.infer<typeof ListResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page = await listDocuments({
      ctx: tenantCtx(c),
      input: { kbId: c.req.valid("param").id, ...c.req.valid("query") },
    });
    return c.json({ data: page.items.map(toDocument), next_cursor: page.nextCursor }, 200);
  });
}
