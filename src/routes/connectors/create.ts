import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createConnector } from "../../services/connectors/bindings.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { ConnectorSchema, CreateConnectorBody, KbParam, toConnector } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases/{id}/connectors",
  tags: ["Connectors"],
  summary: "Bind an enabled connector plugin to a knowledge base (scope admin)",
  security,
  request: { params: KbParam, body: jsonBody(CreateConnectorBody) },
  responses: {
    201: jsonResponse(ConnectorSchema, "The connector; a scheduled one runs with the next tick."),
    ...errorResponses(400, 403, 404, 409),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const row = await createConnector({
      ctx: serviceCtx(c, "admin"),
      input: {
        kbId: c.req.valid("param").id,
        pluginId: body.plugin_id,
        name: body.name,
        config: body.config,
        secrets: body.secrets,
        intervalSeconds: body.interval_seconds,
      },
    });
    return c.json(toConnector(row, Object.keys(body.secrets ?? {})), 201);
  });
}
