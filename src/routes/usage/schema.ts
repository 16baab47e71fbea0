import { z } from "@hono/zod-openapi";
import type { UsageRow, UsageTotals } from "../../services/usage/report.js";
import { UsdString } from "../money.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

export const UsageQuerySchema = z.object({
  from: day.optional().openapi({
    description: "First day (UTC, inclusive); default: the first of this month.",
    example: "2025-01-01",
  }),
  to: day
    .optional()
    .openapi({ description: "Last day (UTC, inclusive); default: today.", example: "2025-01-31" }),
  group_by: z.enum(["day", "model", "key"]).default("day"),
  key_id: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: "Admin keys: only this key's usage. Other keys always see only their own." }),
  format: z.enum(["json", "csv"]).default("json"),
});

const Totals = z.object({
  requests: z.number().int().openapi({ description: "Ledger rows (model calls)." }),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cached_input_tokens: z.number().int(),
  embedding_tokens: z.number().int(),
  cost_micros: z.number().int().openapi({ description: "Exact cost in micro-dollars." }),
  cost_usd: UsdString,
  charge_micros: z.number().int().openapi({
    description: "What the customer is charged: cost × the plan's markup for the model (1.0 by default).",
  }),
  charge_usd: UsdString,
});

export const UsageResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    group_by: z.enum(["day", "model", "key"]),
    key_id: z.string().nullable(),
    data: z.array(Totals.extend({ group: z.string() })),
    totals: Totals,
  })
  .openapi("UsageReport");

export function toTotals(t: UsageTotals, usd: (m: number) => string) {
  return {
    requests: t.requests,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cached_input_tokens: t.cachedInputTokens,
    embedding_tokens: t.embeddingTokens,
    cost_micros: t.costMicros,
    cost_usd: usd(t.costMicros),
    charge_micros: t.chargeMicros,
    charge_usd: usd(t.chargeMicros),
  };
}

export function toRow(r: UsageRow, usd: (m: number) => string) {
  return { group: r.group, ...toTotals(r, usd) };
}
