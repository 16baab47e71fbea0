import { formatMicros } from "../../models/cost.js";
import type { UsageGroupBy, UsageRow } from "./report.js";

const COLUMNS = [
  "requests",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "embedding_tokens",
  "cost_micros",
  "cost_usd",
];

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 CSV, one row per group; cost_usd is written from the integer micros, so it is exact. */
export function usageCsv(groupBy: UsageGroupBy, rows: UsageRow[]): string {
  const lines = [[groupBy, ...COLUMNS].join(",")];
  for (const r of rows) {
    lines.push(
      [
        cell(r.group),
        r.requests,
        r.inputTokens,
        r.outputTokens,
        r.cachedInputTokens,
        r.embeddingTokens,
        r.costMicros,
        formatMicros(r.costMicros),
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
