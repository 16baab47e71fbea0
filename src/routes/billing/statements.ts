import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { formatMicros } from "../../models/cost.js";
import { statementCsv, statementPdf } from "../../services/billing/statement-render.js";
import { getStatement, listStatements } from "../../services/billing/statements.js";
import { errorResponses, jsonResponse } from "../common.js";
import { security } from "./schema.js";

const Line = z
  .record(z.string(), z.unknown())
  .openapi({ description: "Amounts as `*_micros` with `*_usd` beside." });

export const StatementSchema = z
  .object({
    number: z
      .string()
      .nullable()
      .openapi({ example: "ST-202611-000042", description: "null while the month is open" }),
    status: z.enum(["open", "closed"]),
    organization: z.object({ id: z.string(), name: z.string() }),
    month: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    by_model: z.array(Line),
    by_key: z.array(Line),
    subscription: z.array(Line),
    included_credit: Line.optional().openapi({
      description: "What the plan's monthly included credit paid (calls past the quota, before the wallet).",
    }),
    top_ups: z.array(Line),
    codes: z.array(Line),
    credits: z.array(Line),
    tax: Line,
    totals: Line,
  })
  .openapi("Statement");

const MonthParam = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month such as 2026-11")
    .openapi({ example: "2026-11" }),
});

export const listRoute = createRoute({
  method: "get",
  path: "/billing/statements",
  tags: ["Billing"],
  summary: "Closed monthly statements, newest first",
  security,
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(z.object({ number: z.string(), month: z.string(), closed_at: z.string() })) }),
      "Statements.",
    ),
    ...errorResponses(403),
  },
});

export const getRoute = createRoute({
  method: "get",
  path: "/billing/statements/{month}",
  tags: ["Billing"],
  summary:
    "A month's statement as JSON, CSV or PDF; a past month is closed (numbered, immutable) on first read",
  security,
  request: {
    params: MonthParam,
    query: z.object({ format: z.enum(["json", "csv", "pdf"]).default("json") }),
  },
  responses: {
    200: {
      description: "The statement.",
      content: {
        "application/json": { schema: StatementSchema },
        "text/csv": { schema: z.string() },
        "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errorResponses(403, 404),
  },
});

/** Adds `x_usd` beside every `x_micros`, at any depth: the API's one money shape. */
function withUsd(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUsd);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = withUsd(v);
      if (k.endsWith("_micros") && typeof v === "number")
        out[k.replace(/_micros$/, "_usd")] = formatMicros(v);
    }
    return out;
  }
  return value;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const rows = await listStatements(actionCtx(c, "billing.manage"));
    return c.json(
      { data: rows.map((r) => ({ number: r.number, month: r.month, closed_at: r.closedAt.toISOString() })) },
      200,
    );
  });
  app.openapi(getRoute, async (c) => {
    const { month } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const s = await getStatement(actionCtx(c, "billing.manage"), month);
    const name = `statement-${s.number ?? `${month}-open`}`;
    if (format === "csv") {
      return c.body(statementCsv(s), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.csv"`,
      });
    }
    if (format === "pdf") {
      const pdf = await statementPdf(s);
      return c.body(new Uint8Array(pdf), 200, {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${name}.pdf"`,
      });
    }
    return c.json(withUsd(s) as z.infer<typeof StatementSchema>, 200);
  });
}
