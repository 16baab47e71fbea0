import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { budgetReservations } from "../../db/schema.js";
import { debitForUsage, type WalletTerms } from "../billing/wallet.js";
import { type LedgerEntry, recordUsage } from "../ledger/record.js";
import { lockTenant } from "./spend.js";

/**
 * Replaces a call's reservation by its actual cost: the ledger row and the release happen in one
 * transaction, so the budget never counts the call twice nor forgets it.
 */
export async function settleCall(
  db: Db,
  reservationId: string | null,
  entry: LedgerEntry,
  /** The floor and the plan's included credit, for calls whose reservation was held against the wallet. */
  wallet: WalletTerms = { floorMicros: 0, includedCreditMicros: 0 },
): Promise<string> {
  if (!reservationId) return recordUsage(db, entry);
  return db.transaction(async (tx) => {
    // The same lock reservations take: a reservation never reads between this insert and this delete.
    await lockTenant(tx, entry.tenantId);
    const id = await recordUsage(tx, entry);
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
