import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { payments, tenants, usageLedger, walletEntries } from "../../db/schema.js";

/** One usage line: calls of a model (or a key) in the month, at provider cost and at the customer's price. */
export interface UsageLine {
  name: string;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  embedding_tokens: number;
  cost_micros: number;
  charge_micros: number;
}

export interface StatementBody {
  number: string | null;
  status: "open" | "closed";
  organization: { id: string; name: string };
  month: string;
  period: { from: string; to: string };
  by_model: UsageLine[];
  by_key: UsageLine[];
  subscription: {
    payment_id: string;
    plan: string | null;
    amount_micros: number;
    /** The service period paid for (a Stripe invoice's period); null for the Checkout payment. */
    period: { from: string; to: string } | null;
  }[];
  /**
   * What the plan's included credit paid this month (overage calls, before the wallet). Absent from
   * statements closed before included credit was applied.
   */
  included_credit?: { calls: number; used_micros: number };
  top_ups: { id: string; amount_micros: number; provider: string | null; at: string }[];
  codes: { id: string; amount_micros: number; at: string }[];
  credits: { id: string; amount_micros: number; reason: string; at: string }[];
  tax: { rate: string; micros: number };
  totals: {
    usage_cost_micros: number;
    usage_charge_micros: number;
    wallet_debited_micros: number;
    included_credit_micros: number;
    subscription_micros: number;
    top_ups_micros: number;
    codes_micros: number;
    credits_micros: number;
    tax_micros: number;
    total_due_micros: number;
  };
}

export function monthBounds(month: string): { from: Date; to: Date } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1)), to: new Date(Date.UTC(y, m, 1)) };
}

async function usageLines(
  db: Db,
  tenantId: string,
  from: Date,
  to: Date,
  by: "model" | "key",
): Promise<UsageLine[]> {
  const col = by === "model" ? usageLedger.model : sql<string>`coalesce(${usageLedger.keyId}, '(none)')`;
  const rows = await db
    .select({
      name: sql<string>`${col}`,
      calls: sql<string>`count(*)::text`,
      input: sql<string>`coalesce(sum(${usageLedger.inputTokens}), 0)::text`,
      output: sql<string>`coalesce(sum(${usageLedger.outputTokens}), 0)::text`,
      embedding: sql<string>`coalesce(sum(${usageLedger.embeddingTokens}), 0)::text`,
      cost: sql<string>`coalesce(sum(${usageLedger.costMicros}), 0)::text`,
      charge: sql<string>`coalesce(sum(${usageLedger.chargeMicros}), 0)::text`,
    })
    .from(usageLedger)
    .where(
      and(
        eq(usageLedger.tenantId, tenantId),
        gte(usageLedger.createdAt, from),
        lt(usageLedger.createdAt, to),
      ),
    )
    .groupBy(col)
    .orderBy(col);
  // Sums come back as text: bigint sums are exact there, and Number() of a micro-dollar sum is exact below 2^53.
  return rows.map((r) => ({
    name: r.name,
    calls: Number(r.calls),
    input_tokens: Number(r.input),
    output_tokens: Number(r.output),
    embedding_tokens: Number(r.embedding),
    cost_micros: Number(r.cost),
    charge_micros: Number(r.charge),
  }));
}

const sum = (xs: { amount_micros: number }[]) => xs.reduce((n, x) => n + x.amount_micros, 0);

/** Everything a statement shows, read from the ledger, the wallet and payments: nothing is estimated. */
export async function statementBody(
  db: Db,
  input: { tenantId: string; month: string; number: string | null; taxRate: string },
): Promise<StatementBody> {
  const { from, to } = monthBounds(input.month);
  const [org] = await db.select().from(tenants).where(eq(tenants.id, input.tenantId)).limit(1);
  const [byModel, byKey, entries, subs] = await Promise.all([
    usageLines(db, input.tenantId, from, to, "model"),
    usageLines(db, input.tenantId, from, to, "key"),
    db
      .select()
      .from(walletEntries)
      .where(
        and(
          eq(walletEntries.tenantId, input.tenantId),
          gte(walletEntries.createdAt, from),
          lt(walletEntries.createdAt, to),
        ),
      )
      .orderBy(walletEntries.id),
    db
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.tenantId, input.tenantId),
          eq(payments.purpose, "subscription"),
          eq(payments.status, "paid"),
          gte(payments.paidAt, from),
          lt(payments.paidAt, to),
        ),
      ),
  ]);
  const of = (kind: string) => entries.filter((e) => e.kind === kind);
  const top_ups = of("top_up").map((e) => ({
    id: e.id,
    amount_micros: e.amountMicros,
    provider: (e.detail.provider as string) ?? null,
    at: e.createdAt.toISOString(),
  }));
  const codes = of("code").map((e) => ({
    id: e.id,
    amount_micros: e.amountMicros,
    at: e.createdAt.toISOString(),
  }));
  const credits = of("credit").map((e) => ({
    id: e.id,
    amount_micros: e.amountMicros,
    reason: String(e.detail.reason ?? ""),
    at: e.createdAt.toISOString(),
  }));
  const subscription = subs
    .sort((a, b) => (a.paidAt?.getTime() ?? 0) - (b.paidAt?.getTime() ?? 0))
    .map((p) => ({
      payment_id: p.id,
      plan: p.planId,
      amount_micros: p.amountMicros,
      period:
        p.periodStart && p.periodEnd
          ? { from: p.periodStart.toISOString(), to: p.periodEnd.toISOString() }
          : null,
    }));
  const includedEntries = of("usage").filter((e) => e.includedMicros > 0);
  const includedUsed = includedEntries.reduce((n, e) => n + e.includedMicros, 0);
  const usageCost = byModel.reduce((n, l) => n + l.cost_micros, 0);
  const usageCharge = byModel.reduce((n, l) => n + l.charge_micros, 0);
  const subscriptionMicros = sum(subscription);
  // Tax on what is charged this month (usage at customer prices plus the subscription), rounded half up.
  const taxable = usageCharge + subscriptionMicros;
  const taxPpm = BigInt(Math.round(Number(input.taxRate) * 1_000_000));
  const tax = Number((BigInt(taxable) * taxPpm + 500_000n) / 1_000_000n);
  return {
    number: input.number,
    status: input.number ? "closed" : "open",
    organization: { id: input.tenantId, name: org?.name ?? "" },
    month: input.month,
    period: { from: from.toISOString(), to: to.toISOString() },
    by_model: byModel,
    by_key: byKey,
    subscription,
    included_credit: { calls: includedEntries.length, used_micros: includedUsed },
    top_ups,
    codes,
    credits,
    tax: { rate: input.taxRate, micros: tax },
    totals: {
      usage_cost_micros: usageCost,
      usage_charge_micros: usageCharge,
      wallet_debited_micros: -of("usage").reduce((n, e) => n + e.amountMicros, 0),
      included_credit_micros: includedUsed,
      subscription_micros: subscriptionMicros,
      top_ups_micros: sum(top_ups),
      codes_micros: sum(codes),
      credits_micros: sum(credits),
      tax_micros: tax,
      total_due_micros: taxable + tax,
    },
  };
}
