import type { AppDeps } from "../../context.js";
import { billingOf, billingOn } from "./account.js";

/** How long a plan's rate limit is remembered: a plan change reaches rate limits within this. */
const TTL_MS = 30_000;
const memo = new WeakMap<AppDeps, Map<string, { limit: number | null; until: number }>>();

/**
 * The plan's default requests per minute for an organization's keys that set none (null: the server's
 * RATE_LIMIT_PER_MINUTE). Remembered briefly per process: the rate limiter runs on every request and
 * must not add a database read to each.
 */
export async function planRateLimit(deps: AppDeps, tenantId: string): Promise<number | null> {
  if (!billingOn(deps.config)) return null;
  let known = memo.get(deps);
  if (!known) {
    known = new Map();
    memo.set(deps, known);
  }
  const hit = known.get(tenantId);
  const now = Date.now();
  if (hit && hit.until > now) return hit.limit;
  const { plan } = await billingOf(deps.database.db, deps.config, tenantId);
  if (known.size > 100_000) known.clear();
  known.set(tenantId, { limit: plan.rate_limit_per_minute, until: now + TTL_MS });
  return plan.rate_limit_per_minute;
}
