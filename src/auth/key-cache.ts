import type { AppDeps } from "../context.js";
import { NotifiedCache } from "../db/notified-cache.js";

/** The channel migration 0016's triggers notify when a key, member, user suspension or org suspension changes. */
export const AUTH_CHANGED_CHANNEL = "aihub_auth_changed";

/** At most this many keys are held per process (about 1 KB each). */
const MAX_KEYS = 20_000;

const caches = new WeakMap<object, NotifiedCache<unknown>>();

/**
 * The process's cache of API key lookups for this database: every request with a Bearer key reads
 * its key, and at 300+ asks/s that read queued behind ledger commits waiting on fsync. Created on
 * first use; `KEY_CACHE_SECONDS=0` turns it off.
 */
export function keyCache<V>(deps: Pick<AppDeps, "database" | "logger" | "config">): NotifiedCache<V> | null {
  if (deps.config.KEY_CACHE_SECONDS === 0) return null;
  let cache = caches.get(deps.database);
  if (!cache) {
    cache = new NotifiedCache<unknown>(deps.database, {
      channel: AUTH_CHANGED_CHANNEL,
      ttlMs: deps.config.KEY_CACHE_SECONDS * 1000,
      max: MAX_KEYS,
      onListenError: (err) =>
        deps.logger.warn({ err }, "could not LISTEN for key changes; API keys are read on every request"),
    });
    caches.set(deps.database, cache);
  }
  return cache as NotifiedCache<V>;
}

/**
 * Call after this process changed what a key may do (revoked it, changed a member, suspended
 * someone): its own cache drops at once, without waiting for its notification to come back.
 */
export function authChanged(deps: Pick<AppDeps, "database">): void {
  caches.get(deps.database)?.invalidate();
}
