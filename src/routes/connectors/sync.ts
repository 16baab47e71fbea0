import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { syncConnector } from "../../services/connectors/run.js";
import { openSecrets } from "../../services/connectors/secrets.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { ConnectorParams, ConnectorSchema, toConnector } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases/{id}/connectors/{cid}/sync",
  tags: ["Connectors"],
  summary: "Run a connector now (scope ingest); poll GET .../connectors/{cid} until its state is not running",
  security,
  request: { params: ConnectorParams },
  responses: {
    202: jsonResponse(ConnectorSchema, "The run started (state running)."),
    ...errorResponses(403, 404, 409),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = serviceCtx(c, "ingest");
    const { id, cid } = c.req.valid("param");
    const row = await syncConnector({ ctx, input: { kbId: id, id: cid } });
    return c.json(
      toConnector(row, Object.keys(openSecrets(ctx.deps, row.tenantId, row.id, row.secrets))),
      202,
    );
  });
}
