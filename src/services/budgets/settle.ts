import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { budgetReservations, usageLedger } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { debitForUsage, type WalletTerms } from "../billing/wallet.js";
import { type LedgerEntry, recordUsageOnce } from "../ledger/record.js";
import { lockTenant } from "./spend.js";

/**
 * Replaces a call's reservation by its actual cost: the ledger row and the release happen in one
 * transaction, so the budget never counts the call twice nor forgets it. The row's id is fixed before
 * the first attempt, so settling again after a failure that may have committed changes nothing.
 */
export async function settleCall(
  db: Db,
  reservationId: string | null,
  entry: LedgerEntry & { id: string },
  /** The floor and the plan's included credit, for calls whose reservation was held against the wallet. */
  wallet: WalletTerms = { floorMicros: 0, includedCreditMicros: 0 },
): Promise<string> {
  if (!reservationId && !entry.idempotencyKey) {
    await recordUsageOnce(db, entry);
    return entry.id;
  }
  return db.transaction(async (tx) => {
    // The same lock reservations take: a reservation never reads between this insert and this delete.
    // It also orders two attempts of one idempotent ask, so only one of them is charged.
    await lockTenant(tx, entry.tenantId);
    if (entry.idempotencyKey && (await alreadyCharged(tx, entry))) {
      entry = { ...entry, chargeMicros: 0 };
    }
    const id = entry.id;
    // Already written by an attempt whose answer was lost: its release and debit committed with it.
    if (!(await recordUsageOnce(tx, entry))) return id;
    if (!reservationId) return id;
    const [held] = await tx
      .delete(budgetReservations)
      .where(eq(budgetReservations.id, reservationId))
      .returning({ wallet: budgetReservations.wallet });
    // The ledger row and the wallet debit commit together: the wallet always equals its entries.
    if (held?.wallet) {
      await debitForUsage(tx, {
        tenantId: entry.tenantId,
        chargeMicros: entry.chargeMicros ?? entry.costMicros,
        ledgerId: id,
        terms: wallet,
      });
    }
    return id;
  });
}

/** Settles with retries (at most `deadlineMs`, backoff from 100 ms to 2 s) while the database is busy or restarting. */
export async function settleCallRetrying(
  db: Db,
  reservationId: string | null,
  entry: LedgerEntry,
  wallet: WalletTerms | undefined,
  opts: { deadlineMs: number; onRetry?: (attempt: number, err: unknown) => void },
): Promise<string> {
  const fixed = { ...entry, id: entry.id ?? newId("use") };
  const until = Date.now() + opts.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await settleCall(db, reservationId, fixed, wallet);
    } catch (err) {
      const wait = Math.min(2_000, 100 * 2 ** (attempt - 1));
      if (Date.now() + wait > until) throw err;
      opts.onRetry?.(attempt, err);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * Whether an earlier attempt with the same Idempotency-Key already charged this model: a client retrying
 * an ask (its connection or the API process died mid-stream) pays once. The provider's cost of the retry
 * stays on its row: it was spent, only not charged again.
 */
async function alreadyCharged(tx: Db, entry: LedgerEntry): Promise<boolean> {
  const [row] = await tx
    .select({ id: usageLedger.id })
    .from(usageLedger)
    .where(
      and(
        eq(usageLedger.tenantId, entry.tenantId),
        eq(usageLedger.idempotencyKey, entry.idempotencyKey ?? ""),
        eq(usageLedger.model, entry.model),
        eq(usageLedger.kind, entry.kind),
        gt(usageLedger.chargeMicros, 0),
      ),
    )
    .limit(1);
  return row !== undefined;
}
