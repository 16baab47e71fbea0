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

const budgetPresence = new WeakMap<Db, Map<string, boolean>>();
const MAX_REMEMBERED_KEYS = 100_000;

/**
 * Whether the key or its tenant has a monthly budget. Calls without one skip counting prompt tokens
 * and reserving. Budgets are fixed when the tenant or the key is created (no API changes them), so
 * the answer is remembered per key and every ask after a key's first skips this query; whatever adds
 * a way to change a budget must drop this memo (in every API process).
 */
export async function budgetApplies(db: Db, tenantId: string, keyId: string): Promise<boolean> {
  let known = budgetPresence.get(db);
  if (!known) {
    known = new Map();
    budgetPresence.set(db, known);
  }
  const cacheKey = `${tenantId}/${keyId}`;
  const hit = known.get(cacheKey);
  if (hit !== undefined) return hit;
  const [row] = await db
    .select({ tenant: tenants.monthlyBudgetMicros, key: apiKeys.monthlyBudgetMicros })
    .from(tenants)
    .leftJoin(apiKeys, eq(apiKeys.id, keyId))
    .where(eq(tenants.id, tenantId))
    .limit(1);
  const applies = row !== undefined && (row.tenant !== null || (row.key ?? null) !== null);
  // A missing tenant row is not remembered: it would only ever be a race with its creation.
  if (row !== undefined) {
    if (known.size >= MAX_REMEMBERED_KEYS) known.clear();
    known.set(cacheKey, applies);
  }
  return applies;
}
