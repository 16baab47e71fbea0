import { eq, sql } from "drizzle-orm";
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

/**
 * Micro-dollars spent this month plus held by calls in flight, for the tenant and (when given) one of
 * its keys, read in ONE statement: on PostgreSQL each statement of a READ COMMITTED transaction takes its
 * own snapshot, so reading the ledger and the reservations separately could miss a call that settled in
 * between (its reservation gone, its ledger row not yet seen). Callers hold the tenant lock (lockTenant).
 */
export async function committedMicros(
  db: Db,
  tenantId: string,
  keyId: string | null,
  now: Date,
): Promise<{ tenant: number; key: number }> {
  const since = monthStart(now).toISOString();
  const heldSince = new Date(now.getTime() - RESERVATION_TTL_MS).toISOString();
  const spentBy = (
    key: boolean,
  ) => sql`(select coalesce(sum(${usageLedger.costMicros}), 0) from ${usageLedger}
    where ${usageLedger.tenantId} = ${tenantId} and ${usageLedger.createdAt} >= ${since}
    ${key ? sql`and ${usageLedger.keyId} = ${keyId}` : sql``})`;
  const heldBy = (
    key: boolean,
  ) => sql`(select coalesce(sum(${budgetReservations.amountMicros}), 0) from ${budgetReservations}
    where ${budgetReservations.tenantId} = ${tenantId} and ${budgetReservations.createdAt} >= ${heldSince}
    ${key ? sql`and ${budgetReservations.keyId} = ${keyId}` : sql``})`;
  const [row] = await db
    .select({
      tenant: sql<string>`(${spentBy(false)} + ${heldBy(false)})::text`,
      key: keyId ? sql<string>`(${spentBy(true)} + ${heldBy(true)})::text` : sql<string>`'0'`,
    })
    .from(sql`(select 1) as one`);
  return { tenant: Number(row?.tenant ?? 0), key: Number(row?.key ?? 0) };
}

/**
 * Takes the tenant's budget lock for the rest of the transaction: reserving and settling both take it,
 * so a reservation's check-and-insert and a call's settlement never interleave (on PGlite too, where
 * transactions are serialized anyway). Returns the tenant's monthly budget.
 */
export async function lockTenant(db: Db, tenantId: string): Promise<{ budget: number | null } | undefined> {
  const [tenant] = await db
    .select({ budget: tenants.monthlyBudgetMicros })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .for("update");
  return tenant;
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
