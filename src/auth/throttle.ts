import { inArray, sql } from "drizzle-orm";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { loginThrottles } from "../db/schema.js";

/**
 * Sign-in throttling, per account and per client address. The account key is the normalized email
 * whether or not such an account exists, so the answers never tell whether an email is registered.
 * After LOGIN_FREE_FAILURES failures (4x as many per address, which many people may share) every
 * further failure locks the key for LOGIN_BACKOFF_BASE_MS * 2^(extra failures), at most 15 minutes.
 * Attempts during a lock are refused without being checked or counted, so an attacker cannot stretch
 * the owner's lock: once it ends, the owner's correct password works.
 */
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 24 * 3_600_000;

export type ThrottleKey = { key: string; free: number };

export function throttleKeys(config: Config, email: string, address: string): ThrottleKey[] {
  return [
    { key: `account:${email}`, free: config.LOGIN_FREE_FAILURES },
    { key: `address:${address}`, free: config.LOGIN_FREE_FAILURES * 4 },
  ];
}

/** Milliseconds until the longest current lock ends, or 0 when sign-in may be attempted. */
export async function lockRemainingMs(db: Db, keys: ThrottleKey[], now = Date.now()): Promise<number> {
  const rows = await db
    .select({ lockedUntil: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(
      inArray(
        loginThrottles.key,
        keys.map((k) => k.key),
      ),
    );
  return Math.max(0, ...rows.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now : 0)));
}

export async function recordFailure(
  db: Db,
  config: Config,
  keys: ThrottleKey[],
  now = Date.now(),
): Promise<void> {
  const forgetBefore = new Date(now - FORGET_AFTER_MS);
  for (const { key, free } of keys) {
    const [row] = await db
      .insert(loginThrottles)
      .values({ key, failures: 1, updatedAt: new Date(now) })
      .onConflictDoUpdate({
        target: loginThrottles.key,
        set: {
          failures: sql`case when ${loginThrottles.updatedAt} < ${forgetBefore} then 1 else ${loginThrottles.failures} + 1 end`,
          updatedAt: new Date(now),
        },
      })
      .returning({ failures: loginThrottles.failures });
    const extra = (row?.failures ?? 0) - free;
    if (extra >= 0) {
      const lockMs = Math.min(MAX_LOCK_MS, config.LOGIN_BACKOFF_BASE_MS * 2 ** Math.min(extra, 20));
      await db
        .update(loginThrottles)
        .set({ lockedUntil: new Date(now + lockMs) })
        .where(sql`${loginThrottles.key} = ${key}`);
    }
  }
}

/** A successful sign-in clears the account's failures (the address keeps its count). */
export async function clearAccount(db: Db, email: string): Promise<void> {
  await db.delete(loginThrottles).where(sql`${loginThrottles.key} = ${`account:${email}`}`);
}
