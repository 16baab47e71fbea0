import { and, eq, isNull, lt, lte, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { connectorBindings } from "../../db/schema.js";
import type { ConnectorBinding } from "./bindings.js";

/**
 * One run per binding at a time, across every process sharing the database (two API processes and two
 * workers included): a run holds a lease on its row, taken by one conditional UPDATE (PostgreSQL
 * re-checks the condition on the locked row, so of two racing processes exactly one gets it). The lease
 * is renewed after each item; a process that crashed leaves it to expire, and the next one takes over.
 */
export const LEASE_MS = 10 * 60_000;

export interface Lease {
  binding: ConnectorBinding;
  until: Date;
}

/**
 * Takes the binding's lease if it is free. `due`: only if it is still due, so a scheduled run that
 * another process finished a moment ago (its next run moved on) is not run twice.
 */
export async function claim(db: Db, id: string, opts: { due?: boolean } = {}): Promise<Lease | null> {
  const now = new Date();
  const until = new Date(now.getTime() + LEASE_MS);
  const [row] = await db
    .update(connectorBindings)
    .set({ leaseUntil: until, state: "running", updatedAt: now })
    .where(
      and(
        eq(connectorBindings.id, id),
        or(isNull(connectorBindings.leaseUntil), lt(connectorBindings.leaseUntil, now)),
        opts.due ? lte(connectorBindings.nextRunAt, now) : undefined,
      ),
    )
    .returning();
  return row ? { binding: row, until } : null;
}

/** Extends a held lease; false when it was lost (expired and taken, or the binding deleted). */
export async function renew(db: Db, lease: Lease, cursor: string | null): Promise<boolean> {
  const until = new Date(Date.now() + LEASE_MS);
  const rows = await db
    .update(connectorBindings)
    .set({ leaseUntil: until, cursor })
    .where(and(eq(connectorBindings.id, lease.binding.id), eq(connectorBindings.leaseUntil, lease.until)))
    .returning({ id: connectorBindings.id });
  if (rows.length === 0) return false;
  lease.until = until;
  return true;
}
