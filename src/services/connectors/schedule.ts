import { and, asc, isNotNull, isNull, lt, lte, or } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import { connectorBindings } from "../../db/schema.js";
import { claim } from "./lease.js";
import { runLeased } from "./run.js";

/**
 * Runs the connectors that are due, one after another, and returns how many this process ran. Any
 * number of processes may call this on their own timers: each binding's lease lets only one of them
 * run it, and a binding claimed elsewhere in the meantime is skipped.
 */
export async function runDueConnectors(deps: AppDeps, opts: { limit?: number } = {}): Promise<number> {
  const now = new Date();
  const due = await deps.database.db
    .select({ id: connectorBindings.id })
    .from(connectorBindings)
    .where(
      and(
        isNotNull(connectorBindings.nextRunAt),
        lte(connectorBindings.nextRunAt, now),
        or(isNull(connectorBindings.leaseUntil), lt(connectorBindings.leaseUntil, now)),
      ),
    )
    .orderBy(asc(connectorBindings.nextRunAt))
    .limit(opts.limit ?? 20);
  let ran = 0;
  for (const { id } of due) {
    const lease = await claim(deps.database.db, id, { due: true });
    if (!lease) continue;
    await runLeased(deps, lease, "schedule");
    ran++;
  }
  return ran;
}
