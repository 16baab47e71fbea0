import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { formatMicros } from "../../models/cost.js";
import { usageCsv } from "../../services/usage/csv.js";
import { usageReport } from "../../services/usage/report.js";
import { errorResponses, security } from "../common.js";
import { toRow, toTotals, UsageQuerySchema, UsageResponse } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/usage",
  tags: ["Usage"],
  summary: "Usage and cost totals by day, model or key (admin keys: the whole tenant; other keys: their own)",
  security,
  request: { query: UsageQuerySchema },
  responses: {
    200: {
      description: "Totals per group. `format=csv` returns the same rows as CSV.",
      content: { "application/json": { schema: UsageResponse }, "text/csv": { schema: z.string() } },
    },
    ...errorResponses(403, 404),
  },
});

export type UsageResult = z.infer<typeof UsageResponse>;

const today = () => new Date().toISOString().slice(0, 10);
const firstOfMonth = () => `${today().slice(0, 7)}-01`;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const from = q.from ?? firstOfMonth();
    const to = q.to ?? today();
    const report = await usageReport({
      ctx: tenantCtx(c),
      input: { from, to, groupBy: q.group_by, ...(q.key_id ? { keyId: q.key_id } : {}) },
    });
    if (q.format === "csv") {
      return c.body(usageCsv(q.group_by, report.rows), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-${from}-${to}-by-${q.group_by}.csv"`,
      });
    }
    return c.json(
      {
        from,
        to,
        group_by: q.group_by,
        key_id: report.keyId,
        data: report.rows.map((r) => toRow(r, formatMicros)),
        totals: toTotals(report.totals, formatMicros),
      },
      200,
    );
  });
}
