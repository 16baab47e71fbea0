import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { deleteConnector } from "../../services/connectors/bindings.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { ConnectorParams } from "./schema.js";

export const route = createRoute({
  method: "delete",
  path: "/knowledge-bases/{id}/connectors/{cid}",
  tags: ["Connectors"],
  summary: "Remove a connector; the documents it brought in stay (scope admin)",
  security,
  request: { params: ConnectorParams },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), deleted: z.literal(true) }), "Removed."),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id, cid } = c.req.valid("param");
    const out = await deleteConnector({ ctx: serviceCtx(c, "admin"), input: { kbId: id, id: cid } });
    return c.json(out, 200);
  });
}
