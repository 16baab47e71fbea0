import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { apiKeys, budgetReservations } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { formatMicros } from "../../models/cost.js";
import { insufficientFunds, type WalletTerms, walletAvailable } from "../billing/wallet.js";
import { LimitExceededError, type ServiceError } from "../errors.js";
import { committedMicros, lockTenant } from "./spend.js";

export interface Reservation {
  /** One id per requested amount, in order; null when no budget applies (nothing was held). */
  ids: (string | null)[];
}

function exceeded(scope: "key" | "tenant", budget: number, committed: number, needed: number): ServiceError {
  const remaining = Math.max(0, budget - committed);
  return new LimitExceededError(
    "budget_exceeded",
    `This call could cost up to $${formatMicros(needed)} but the ${scope}'s monthly budget has $${formatMicros(remaining)} left. ` +
      "Lower max_tokens, ask fewer models, or raise the budget.",
    {
      data: {
        budget_scope: scope,
        monthly_budget_micros: budget,
        monthly_budget_usd: formatMicros(budget),
        remaining_usd: formatMicros(remaining),
        remaining_micros: remaining,
        required_micros: needed,
      },
    },
  );
}

/**
 * Holds the maximum cost of upcoming calls against the key's and the tenant's monthly budgets.
 * Check and reserve happen in one transaction under the tenant's budget lock, which settling takes too,
 * and the committed total is read in one statement: concurrent calls cannot each see the same remaining
 * budget and overspend it together, on PGlite or PostgreSQL. Throws 402 `budget_exceeded` and holds nothing
 * when any budget could be exceeded.
 */
export async function reserveBudget(
  db: Db,
  input: {
    tenantId: string;
    keyId: string;
    amounts: number[];
    now?: Date;
    /** Set for calls past the plan's quota (issue 16): the amounts are held against the prepaid wallet too. */
    wallet?: WalletTerms;
  },
): Promise<Reservation> {
  const total = input.amounts.reduce((a, b) => a + b, 0);
  const none: Reservation = { ids: input.amounts.map(() => null) };
  if (total <= 0) return none;
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const tenant = await lockTenant(tx, input.tenantId);
    const [key] = await tx
      .select({ budget: apiKeys.monthlyBudgetMicros })
      .from(apiKeys)
      .where(eq(apiKeys.id, input.keyId));
    const tenantBudget = tenant?.budget ?? null;
    const keyBudget = key?.budget ?? null;
    if (tenantBudget === null && keyBudget === null && !input.wallet) return none;
    if (tenantBudget !== null || keyBudget !== null) {
      const committed = await committedMicros(
        tx,
        input.tenantId,
        keyBudget === null ? null : input.keyId,
        now,
      );
      if (keyBudget !== null && committed.key + total > keyBudget)
        throw exceeded("key", keyBudget, committed.key, total);
      if (tenantBudget !== null && committed.tenant + total > tenantBudget)
        throw exceeded("tenant", tenantBudget, committed.tenant, total);
    }
    if (input.wallet) {
      // Same lock, same transaction: 50 concurrent calls each see the holds of those before them.
      const available = await walletAvailable(tx, input.tenantId, input.wallet, now);
      if (total > available) throw insufficientFunds(total, available);
    }
    const rows = input.amounts.map((amount) => ({
      id: newId("res"),
      tenantId: input.tenantId,
      keyId: input.keyId,
      amountMicros: amount,
      wallet: input.wallet !== undefined,
      createdAt: now,
    }));
    await tx.insert(budgetReservations).values(rows);
    return { ids: rows.map((r) => r.id) };
  });
}

/** Releases reservations that will not be settled by a call (e.g. a fallback model never ran). */
export async function releaseReservations(db: Db, ids: (string | null)[]): Promise<void> {
  const held = ids.filter((id): id is string => id !== null);
  if (held.length) await db.delete(budgetReservations).where(inArray(budgetReservations.id, held));
}
