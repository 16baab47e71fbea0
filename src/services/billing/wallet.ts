import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { budgetReservations, orgBilling, walletEntries } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { formatMicros } from "../../models/cost.js";
import { lockTenant, RESERVATION_TTL_MS } from "../budgets/spend.js";
import { LimitExceededError, type ServiceError } from "../errors.js";

export type WalletKind = "usage" | "top_up" | "code" | "credit";

/**
 * What calls may still hold against the wallet: balance − floor − holds of calls in flight, read in ONE
 * statement for the same reason as committedMicros (a settlement between two reads would be missed).
 * Callers hold the tenant lock.
 */
export async function walletAvailable(
  db: Db,
  tenantId: string,
  floorMicros: number,
  now: Date,
): Promise<number> {
  const heldSince = new Date(now.getTime() - RESERVATION_TTL_MS).toISOString();
  const [row] = await db
    .select({
      balance: sql<string>`(select coalesce(max(${orgBilling.walletMicros}), 0) from ${orgBilling} where ${orgBilling.tenantId} = ${tenantId})::text`,
      held: sql<string>`(select coalesce(sum(${budgetReservations.amountMicros}), 0) from ${budgetReservations}
        where ${budgetReservations.tenantId} = ${tenantId} and ${budgetReservations.wallet}
        and ${budgetReservations.createdAt} >= ${heldSince})::text`,
    })
    .from(sql`(select 1) as one`);
  return Number(row?.balance ?? 0) - floorMicros - Number(row?.held ?? 0);
}

export function insufficientFunds(needed: number, available: number): ServiceError {
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
 * Debits a settled call's charge, in the settlement's transaction (tenant lock held). Never below the
 * floor: a call that cost more than it reserved has the rest recorded as uncollected, not overdrawn.
 */
export async function debitForUsage(
  tx: Db,
  input: { tenantId: string; chargeMicros: number; ledgerId: string; floorMicros: number },
): Promise<number> {
  const [row] = await tx
    .select({ balance: orgBilling.walletMicros })
    .from(orgBilling)
    .where(eq(orgBilling.tenantId, input.tenantId));
  const balance = row?.balance ?? 0;
  const debit = Math.max(0, Math.min(input.chargeMicros, balance - input.floorMicros));
  await tx
    .update(orgBilling)
    .set({ walletMicros: sql`${orgBilling.walletMicros} - ${debit}`, updatedAt: new Date() })
    .where(eq(orgBilling.tenantId, input.tenantId));
  await tx.insert(walletEntries).values({
    id: newId("wal"),
    tenantId: input.tenantId,
    kind: "usage",
    amountMicros: -debit,
    ref: `usage:${input.ledgerId}`,
    detail: { charge_micros: input.chargeMicros, uncollected_micros: input.chargeMicros - debit },
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
