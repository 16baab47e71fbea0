import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { budgetReservations, orgBilling, walletEntries } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { formatMicros } from "../../models/cost.js";
import { lockTenant, monthStart, RESERVATION_TTL_MS } from "../budgets/spend.js";
import { LimitExceededError } from "../errors.js";

export type WalletKind = "usage" | "top_up" | "code" | "credit";

/**
 * How a call past its plan's quota is paid (issue 16). The rule for the plan's included credit: each
 * billing period (the UTC month, as quotas and statements count) the plan's `included_credit_micros`
 * pays overage charges BEFORE the wallet; what is not used by the month's end lapses (it is not
 * granted into the wallet, so it never accumulates and a downgrade cannot keep it). The current plan's
 * amount applies to the whole month, like its quotas (no proration).
 */
export interface WalletTerms {
  floorMicros: number;
  /** The plan's included credit per month (0: every overage charge comes from the wallet). */
  includedCreditMicros: number;
}

/** How much of this month's included credit overage calls have used (tenant lock held by writers). */
export async function includedUsedMicros(db: Db, tenantId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(${walletEntries.includedMicros}), 0)::text` })
    .from(walletEntries)
    .where(
      and(
        eq(walletEntries.tenantId, tenantId),
        eq(walletEntries.kind, "usage"),
        gte(walletEntries.createdAt, monthStart(now)),
      ),
    );
  return Number(row?.n ?? 0);
}

/** What is left of this month's included credit. */
export async function includedLeftMicros(
  db: Db,
  tenantId: string,
  includedCreditMicros: number,
  now: Date,
): Promise<number> {
  if (includedCreditMicros <= 0) return 0;
  return Math.max(0, includedCreditMicros - (await includedUsedMicros(db, tenantId, now)));
}

/**
 * What calls may still hold against the wallet: included credit left + balance − floor − holds of calls
 * in flight. Balance and holds are read in ONE statement for the same reason as committedMicros (a
 * settlement between two reads would be missed). Callers hold the tenant lock.
 */
export async function walletAvailable(
  db: Db,
  tenantId: string,
  terms: WalletTerms,
  now: Date,
): Promise<number> {
  const included = await includedLeftMicros(db, tenantId, terms.includedCreditMicros, now);
  const heldSince = new Date(now.getTime() - RESERVATION_TTL_MS).toISOString();
  const [row] = await db
    .select({
      balance: sql<string>`(select coalesce(max(${orgBilling.walletMicros}), 0) from ${orgBilling} where ${orgBilling.tenantId} = ${tenantId})::text`,
      held: sql<string>`(select coalesce(sum(${budgetReservations.amountMicros}), 0) from ${budgetReservations}
        where ${budgetReservations.tenantId} = ${tenantId} and ${budgetReservations.wallet}
        and ${budgetReservations.createdAt} >= ${heldSince})::text`,
    })
    .from(sql`(select 1) as one`);
  return included + Number(row?.balance ?? 0) - terms.floorMicros - Number(row?.held ?? 0);
}

export function insufficientFunds(needed: number, available: number): LimitExceededError {
  return new LimitExceededError(
    "insufficient_funds",
    `This call could cost up to $${formatMicros(needed)} past the plan's quota, but the wallet has $${formatMicros(Math.max(0, available))} ` +
      "above its floor. Top up (POST /v1/billing/redeem or /v1/billing/checkout) or upgrade the plan.",
    {
      data: {
        required_micros: needed,
        available_micros: Math.max(0, available),
        available_usd: formatMicros(Math.max(0, available)),
      },
    },
  );
}

/**
 * Pays a settled call's charge, in the settlement's transaction (tenant lock held): first from what is
 * left of the month's included credit, then from the wallet. Never below the floor: a call that cost
 * more than it reserved has the rest recorded as uncollected, not overdrawn.
 */
export async function debitForUsage(
  tx: Db,
  input: { tenantId: string; chargeMicros: number; ledgerId: string; terms: WalletTerms; now?: Date },
): Promise<number> {
  const now = input.now ?? new Date();
  const included = Math.min(
    input.chargeMicros,
    await includedLeftMicros(tx, input.tenantId, input.terms.includedCreditMicros, now),
  );
  const [row] = await tx
    .select({ balance: orgBilling.walletMicros })
    .from(orgBilling)
    .where(eq(orgBilling.tenantId, input.tenantId));
  const balance = row?.balance ?? 0;
  const debit = Math.max(0, Math.min(input.chargeMicros - included, balance - input.terms.floorMicros));
  await tx
    .update(orgBilling)
    .set({ walletMicros: sql`${orgBilling.walletMicros} - ${debit}`, updatedAt: new Date() })
    .where(eq(orgBilling.tenantId, input.tenantId));
  await tx.insert(walletEntries).values({
    id: newId("wal"),
    tenantId: input.tenantId,
    kind: "usage",
    amountMicros: -debit,
    includedMicros: included,
    ref: `usage:${input.ledgerId}`,
    detail: {
      charge_micros: input.chargeMicros,
      included_micros: included,
      uncollected_micros: input.chargeMicros - included - debit,
    },
    createdAt: now,
  });
  return debit;
}

/**
 * Adds money to the wallet once per `ref` (a payment, a code, a credit id): a second call with the same
 * ref changes nothing and returns false. Takes the tenant lock, so it never races a settlement.
 */
export async function creditWallet(
  tx: Db,
  input: {
    tenantId: string;
    defaultPlanId: string;
    kind: Exclude<WalletKind, "usage">;
    amountMicros: number;
    ref: string;
    detail?: Record<string, unknown>;
  },
): Promise<boolean> {
  if (!Number.isSafeInteger(input.amountMicros) || input.amountMicros <= 0)
    throw new Error(`wallet credit must be a positive integer, got ${input.amountMicros}`);
  await lockTenant(tx, input.tenantId);
  const inserted = await tx
    .insert(walletEntries)
    .values({
      id: newId("wal"),
      tenantId: input.tenantId,
      kind: input.kind,
      amountMicros: input.amountMicros,
      ref: input.ref,
      detail: input.detail ?? {},
    })
    .onConflictDoNothing()
    .returning({ id: walletEntries.id });
  if (!inserted.length) return false;
  await tx
    .insert(orgBilling)
    .values({ tenantId: input.tenantId, planId: input.defaultPlanId, walletMicros: input.amountMicros })
    .onConflictDoUpdate({
      target: orgBilling.tenantId,
      set: { walletMicros: sql`${orgBilling.walletMicros} + ${input.amountMicros}`, updatedAt: new Date() },
    });
  return true;
}
