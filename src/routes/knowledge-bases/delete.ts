import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { deleteKnowledgeBase } from "../../services/knowledge-bases/delete.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KbIdParam } from "./schema.js";

const DeletedKb = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    points: z.number().int().openapi({ description: "Vector points removed." }),
    documents: z.number().int().openapi({ description: "Documents removed." }),
    bytes: z.number().int().openapi({ description: "Bytes of original files removed." }),
  })
  .openapi("KnowledgeBaseDeleted");

export const route = createRoute({
  method: "delete",
  path: "/knowledge-bases/{id}",
  tags: ["Knowledge bases"],
  summary: "Delete a knowledge base with all its documents, vectors and files (scope admin)",
  security,
  request: { params: KbIdParam },
  responses: { 200: jsonResponse(DeletedKb, "What was removed."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const result = await deleteKnowledgeBase({
      ctx: serviceCtx(c, "admin"),
      input: { id: c.req.valid("param").id },
    });
    return c.json(result, 200);
  });
}
