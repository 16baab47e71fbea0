import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { deleteDocument } from "../../services/documents/delete.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { DocIdParam } from "./schema.js";

const DeletedDocument = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    points: z.number().int().openapi({ description: "Vector points removed." }),
    bytes: z.number().int().openapi({ description: "Bytes of original files removed." }),
  })
  .openapi("DocumentDeleted");

export const route = createRoute({
  method: "delete",
  path: "/documents/{id}",
  tags: ["Documents"],
  summary: "Delete a document with its vectors, chunks and files (scope ingest)",
  security,
  request: { params: DocIdParam },
  responses: { 200: jsonResponse(DeletedDocument, "What was removed."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const result = await deleteDocument({
      ctx: serviceCtx(c, "ingest"),
      input: { id: c.req.valid("param").id },
    });
    return c.json(result, 200);
  });
}
