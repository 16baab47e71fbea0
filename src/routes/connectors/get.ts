import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getConnector } from "../../services/connectors/bindings.js";
import { openSecrets } from "../../services/connectors/secrets.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { ConnectorParams, ConnectorSchema, toConnector } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/connectors/{cid}",
  tags: ["Connectors"],
  summary: "A connector: its state and last run (added, updated, deleted, failed, errors) (scope ingest)",
  security,
  request: { params: ConnectorParams },
  responses: { 200: jsonResponse(ConnectorSchema, "The connector."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = serviceCtx(c, "ingest");
    const { id, cid } = c.req.valid("param");
    const row = await getConnector({ ctx, input: { kbId: id, id: cid } });
    return c.json(
      toConnector(row, Object.keys(openSecrets(ctx.deps, row.tenantId, row.id, row.secrets))),
      200,
    );
  });
}
