import { type AnyColumn, and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { kbRowsVisibleSql, keysWithinSql } from "../../auth/rights.js";
import { actionsOf } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import { apiKeys, usageLedger } from "../../db/schema.js";
import { NotFoundError, ValidationError } from "../errors.js";

export type UsageGroupBy = "day" | "model" | "key";

export interface UsageQuery {
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  keyId?: string;
}

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  embeddingTokens: number;
  costMicros: number;
  /** What the customer is charged (cost × the plan's markup; issue 16): shown beside the cost. */
  chargeMicros: number;
}

export interface UsageRow extends UsageTotals {
  group: string;
}

const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

/** Dates a report may name: the ledger starts after the first, and the second keeps `to + 1 day` representable. */
export const FIRST_DAY = "1970-01-01";
export const LAST_DAY = "2999-12-31";

function parseDay(value: string, field: string): number {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(t)) {
    throw new ValidationError(`${field} must be a date like 2025-01-31.`, [
      { field, message: "expected YYYY-MM-DD" },
    ]);
  }
  // Date.parse rolls 2025-02-31 over to March; a date that does not exist is an error, not a guess.
  if (new Date(t).toISOString().slice(0, 10) !== value || value < FIRST_DAY || value > LAST_DAY) {
    throw new ValidationError(`${field} must be a real calendar date between ${FIRST_DAY} and ${LAST_DAY}.`, [
      { field, message: `out of range (${FIRST_DAY} to ${LAST_DAY})` },
    ]);
  }
  return t;
}

function groupExpr(by: UsageGroupBy): SQL<string> {
  if (by === "day") return sql<string>`to_char(${usageLedger.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  if (by === "model") return sql<string>`${usageLedger.model}`;
  return sql<string>`coalesce(${usageLedger.keyId}, '')`;
}

// Sums come back as bigint/numeric, which drivers return as strings; text keeps PGlite and pg alike.
const total = (col: AnyColumn) => sql<string>`coalesce(sum(${col}), 0)::text`;

/**
 * Ledger totals for a date range, grouped by day, model or key. Admin keys see every key of the
 * tenant (optionally one); other keys see only their own usage. Sums are exact integers, so they agree
 * with the ledger rows to the micro-dollar.
 */
export async function usageReport({ ctx, input }: { ctx: ServiceCtx; input: UsageQuery }) {
  const from = parseDay(input.from, "from");
  const to = parseDay(input.to, "to");
  if (to < from)
    throw new ValidationError("to must not be before from.", [{ field: "to", message: "before from" }]);
  if ((to - from) / DAY_MS >= MAX_DAYS) {
    throw new ValidationError(`A usage report covers at most ${MAX_DAYS} days; narrow from/to.`, [
      { field: "from", message: `range longer than ${MAX_DAYS} days` },
    ]);
  }
  const isAdmin = actionsOf(ctx.auth).has("usage.read");
  let keyId = input.keyId;
  if (!isAdmin) {
    if (keyId && keyId !== ctx.auth.keyId) throw new NotFoundError("API key", keyId);
    keyId = ctx.auth.keyId;
  } else if (keyId && keyId !== ctx.auth.keyId) {
    // A key reports only on keys within its rights; a person's role (usage.read) covers every key.
    const [visible] = await ctx.deps.database.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.id, keyId),
          eq(apiKeys.tenantId, ctx.auth.tenantId),
          ctx.auth.sessionId ? undefined : keysWithinSql(ctx.auth),
        ),
      )
      .limit(1);
    if (!visible) throw new NotFoundError("API key", keyId);
  }
  const conds = [
    eq(usageLedger.tenantId, ctx.auth.tenantId),
    // A key restricted to some knowledge bases sees only calls about those, its own included.
    ...(keyId === ctx.auth.keyId ? [] : [kbRowsVisibleSql(ctx.auth, usageLedger.kbIds)]),
    gte(usageLedger.createdAt, new Date(from)),
    lt(usageLedger.createdAt, new Date(to + DAY_MS)),
  ];
  if (keyId) conds.push(eq(usageLedger.keyId, keyId));
  const group = groupExpr(input.groupBy);
  const raw = await ctx.deps.database.db
    .select({
      group,
      requests: sql<string>`count(*)::text`,
      inputTokens: total(usageLedger.inputTokens),
      outputTokens: total(usageLedger.outputTokens),
      cachedInputTokens: total(usageLedger.cachedInputTokens),
      embeddingTokens: total(usageLedger.embeddingTokens),
      costMicros: total(usageLedger.costMicros),
      chargeMicros: total(usageLedger.chargeMicros),
    })
    .from(usageLedger)
    .where(and(...conds))
    .groupBy(group)
    .orderBy(group);
  const rows: UsageRow[] = raw.map((r) => ({
    group: r.group,
    requests: Number(r.requests),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    cachedInputTokens: Number(r.cachedInputTokens),
    embeddingTokens: Number(r.embeddingTokens),
    costMicros: Number(r.costMicros),
    chargeMicros: Number(r.chargeMicros),
  }));
  const totals: UsageTotals = {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    embeddingTokens: 0,
    costMicros: 0,
    chargeMicros: 0,
  };
  for (const r of rows) {
    totals.requests += r.requests;
    totals.inputTokens += r.inputTokens;
    totals.outputTokens += r.outputTokens;
    totals.cachedInputTokens += r.cachedInputTokens;
    totals.embeddingTokens += r.embeddingTokens;
    totals.costMicros += r.costMicros;
    totals.chargeMicros += r.chargeMicros;
  }
  return { rows, totals, keyId: keyId ?? null };
}
