import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { requirePlatform, tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { slaReport } from "../../services/sla/report.js";
import { errorResponses, security } from "../common.js";
import { SlaQuery, SlaResponse, toWindow } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/sla",
  tags: ["Usage"],
  summary: "Success rate and latency p50/p95/p99 per route and per model (with time to first token)",
  description:
    "Over the last hour, 24 hours and 30 days. Routes come from the request log (every /v1 request, kept REQUEST_LOG_RETENTION_DAYS), models from the usage ledger. A 5xx answer is a failure; a 4xx is the caller's and counts as served. Any member sees their organization; `scope=platform` (platform administrator) covers every organization.",
  security,
  request: { query: SlaQuery },
  responses: {
    200: { description: "One entry per window", content: { "application/json": { schema: SlaResponse } } },
    ...errorResponses(403),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { scope } = c.req.valid("query");
    const deps = c.get("deps");
    let tenantId: string | null = null;
    if (scope === "platform") requirePlatform(c.get("auth"));
    else tenantId = tenantCtx(c).auth.tenantId;
    const windows = await slaReport(deps.database.db, { tenantId });
    return c.json(
      {
        scope,
        organization_id: tenantId,
        generated_at: new Date().toISOString(),
        windows: windows.map(toWindow),
      },
      200,
    );
  });
}
