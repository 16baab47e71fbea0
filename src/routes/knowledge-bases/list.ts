import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listKnowledgeBases } from "../../services/knowledge-bases/list.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { KbSchema, toKb } from "./schema.js";

const ListKbResponse = z.object({ data: z.array(KbSchema), next_cursor: z.string().nullable() });

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases",
  tags: ["Knowledge bases"],
  summary: "List the knowledge bases this key can see (any scope)",
  security,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(ListKbResponse, "A page of knowledge bases."), ...errorResponses(403) },
});

export type ListKbResult = z.infer<typeof ListKbResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = tenantCtx(c);
    const page = await listKnowledgeBases({ ctx, input: c.req.valid("query") });
    return c.json({ data: page.items.map(toKb), next_cursor: page.nextCursor }, 200);
  });
}
