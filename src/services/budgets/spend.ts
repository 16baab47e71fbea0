import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { apiKeys, budgetReservations, tenants, usageLedger } from "../../db/schema.js";

/** Budgets are per calendar month in UTC. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * Reservations older than this are ignored: their process died before settling them, and a crash
 * must not lock a budget forever. Longer than any single call may run.
 */
export const RESERVATION_TTL_MS = 60 * 60 * 1000;

/** Micro-dollars spent this month plus held by calls in flight, for a tenant or one of its keys. */
export async function committedMicros(
  db: Db,
  tenantId: string,
  keyId: string | null,
  now: Date,
): Promise<number> {
  const ledgerConds = [eq(usageLedger.tenantId, tenantId), gte(usageLedger.createdAt, monthStart(now))];
  const heldConds = [
    eq(budgetReservations.tenantId, tenantId),
    gte(budgetReservations.createdAt, new Date(now.getTime() - RESERVATION_TTL_MS)),
  ];
  if (keyId) {
    ledgerConds.push(eq(usageLedger.keyId, keyId));
    heldConds.push(eq(budgetReservations.keyId, keyId));
  }
  const [spent] = await db
    .select({ v: sql<string>`coalesce(sum(${usageLedger.costMicros}), 0)` })
    .from(usageLedger)
    .where(and(...ledgerConds));
  const [held] = await db
    .select({ v: sql<string>`coalesce(sum(${budgetReservations.amountMicros}), 0)` })
    .from(budgetReservations)
    .where(and(...heldConds));
  return Number(spent?.v ?? 0) + Number(held?.v ?? 0);
}

/**
 * Whether the key or its tenant has a monthly budget. Calls without one skip counting prompt tokens
 * and reserving; budgets are set when a tenant or key is created, so the answer does not race a call.
 */
export async function budgetApplies(db: Db, tenantId: string, keyId: string): Promise<boolean> {
  const [row] = await db
    .select({ tenant: tenants.monthlyBudgetMicros, key: apiKeys.monthlyBudgetMicros })
    .from(tenants)
    .leftJoin(apiKeys, eq(apiKeys.id, keyId))
    .where(eq(tenants.id, tenantId))
    .limit(1);
  return row !== undefined && (row.tenant !== null || (row.key ?? null) !== null);
}
