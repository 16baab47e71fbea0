import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listKeys } from "../../services/keys/list.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { KeySchema, toKey } from "./schema.js";

const ListKeysResponse = z.object({ data: z.array(KeySchema), next_cursor: z.string().nullable() });

export const route = createRoute({
  method: "get",
  path: "/keys",
  tags: ["API keys"],
  summary: "List this tenant's API keys (scope admin); secrets are never returned",
  security,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(ListKeysResponse, "A page of keys."), ...errorResponses(403) },
});

export type ListKeysResult = z.infer<typeof ListKeysResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page = await listKeys({ ctx: actionCtx(c, "keys.create"), input: c.req.valid("query") });
    return c.json({ data: page.items.map(toKey), next_cursor: page.nextCursor }, 200);
  });
}
