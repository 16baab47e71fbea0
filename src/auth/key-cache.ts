import { notifiedCachePerDatabase } from "../db/notified-cache.js";

/**
 * The process's cache of API key lookups (auth/middleware.ts): every request with a Bearer key reads
 * its key, and at 300+ asks/s that read queued behind ledger commits waiting on fsync. Migration
 * 0016's triggers notify `aihub_auth_changed` when a key, a key's creator, a membership, a user's
 * suspension or an organization's suspension changes. About 1 KB per key.
 */
const keys = notifiedCachePerDatabase<unknown>({
  channel: "aihub_auth_changed",
  max: 20_000,
  what: "API keys",
});

export const keyCache = keys.of;

/** Call once a change to a key's rights has committed (revocation, role change, suspension). */
export const authChanged = keys.changed;
