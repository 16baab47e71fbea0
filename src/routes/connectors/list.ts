import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listConnectors } from "../../services/connectors/bindings.js";
import { openSecrets } from "../../services/connectors/secrets.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { ConnectorSchema, KbParam, toConnector } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/connectors",
  tags: ["Connectors"],
  summary: "The connectors of a knowledge base, with their last runs (scope ingest)",
  security,
  request: { params: KbParam },
  responses: {
    200: jsonResponse(z.object({ data: z.array(ConnectorSchema) }), "Connectors, oldest first."),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = serviceCtx(c, "ingest");
    const rows = await listConnectors({ ctx, input: { kbId: c.req.valid("param").id } });
    const data = rows.map((r) =>
      toConnector(r, Object.keys(openSecrets(ctx.deps, r.tenantId, r.id, r.secrets))),
    );
    return c.json({ data }, 200);
  });
}
