import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getDocumentText } from "../../services/documents/text.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { DocIdParam, VersionQuery } from "./schema.js";

const DocumentText = z
  .object({
    document_id: z.string(),
    version_id: z.string(),
    format: z.string(),
    text: z.string().openapi({ description: "The extracted text; chunk offsets point into it." }),
    pages: z
      .array(z.object({ number: z.number().int(), start: z.number().int(), end: z.number().int() }))
      .openapi({ description: "PDF: page `number` covers text[start, end). Empty for other formats." }),
    rebuilt: z.boolean().openapi({
      description:
        "True for documents ingested before the text was stored: rebuilt from the chunks, with paragraph breaks where whitespace was skipped.",
    }),
  })
  .openapi("DocumentText");

export const route = createRoute({
  method: "get",
  path: "/documents/{id}/text",
  tags: ["Documents"],
  summary: "Get a document's extracted text (any scope)",
  security,
  request: { params: DocIdParam, query: VersionQuery },
  responses: {
    200: jsonResponse(DocumentText, "The text."),
    ...errorResponses(403, 404, 409),
  },
});

export type DocumentTextResult = z.infer<typeof DocumentText>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const r = await getDocumentText({
      ctx: tenantCtx(c),
      input: { id: c.req.valid("param").id, versionId: c.req.valid("query").version_id },
    });
    const body: DocumentTextResult = {
      document_id: r.document.id,
      version_id: r.version.id,
      format: r.version.format,
      text: r.text,
      pages: r.pages,
      rebuilt: r.rebuilt,
    };
    return c.json(body, 200);
  });
}
