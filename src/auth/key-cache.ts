import { and, eq, sql } from "drizzle-orm";
import type { AppDeps } from "../context.js";
import type { Db } from "../db/client.js";
import { notifiedCachePerDatabase } from "../db/notified-cache.js";
import { preparedPerDb } from "../db/prepared.js";
import { apiKeys, keyCreators, orgMembers, tenantSuspensions, users } from "../db/schema.js";

/** The key with what caps it (its creator's membership and suspension, the organization's suspension). */
const keyLookup = preparedPerDb((db: Db) =>
  db
    .select({
      row: apiKeys,
      creatorId: keyCreators.userId,
      creatorRole: orgMembers.role,
      creatorSuspended: users.suspendedAt,
      orgSuspended: tenantSuspensions.tenantId,
    })
    .from(apiKeys)
    .leftJoin(keyCreators, eq(keyCreators.keyId, apiKeys.id))
    .leftJoin(
      orgMembers,
      and(eq(orgMembers.tenantId, keyCreators.tenantId), eq(orgMembers.userId, keyCreators.userId)),
    )
    .leftJoin(users, eq(users.id, keyCreators.userId))
    .leftJoin(tenantSuspensions, eq(tenantSuspensions.tenantId, apiKeys.tenantId))
    .where(eq(apiKeys.hash, sql.placeholder("hash")))
    .limit(1)
    .prepare("auth_key_lookup"),
);

type KeyHit = Awaited<ReturnType<ReturnType<typeof keyLookup>["execute"]>>[number];

/**
 * The process's cache of API key lookups (auth/middleware.ts): every request with a Bearer key reads
 * its key, and at 300+ asks/s that read queued behind ledger commits waiting on fsync. Migration
 * 0016's triggers notify `aihub_auth_changed` when a key, a key's creator, a membership, a user's
 * suspension or an organization's suspension changes. About 1 KB per key.
 */
const keys = notifiedCachePerDatabase<KeyHit>({
  channel: "aihub_auth_changed",
  max: 20_000,
  what: "API keys",
});

export const keyCache = keys.of;

/** The key behind this hash with what caps it, through the cache; undefined for an unknown key. */
export function readKey(
  deps: Pick<AppDeps, "database" | "logger" | "config">,
  hash: string,
): Promise<KeyHit | undefined> {
  return keys.read(deps, hash, async () => (await keyLookup(deps.database.db).execute({ hash }))[0]);
}

/** Call once a change to a key's rights has committed (revocation, role change, suspension). */
export const authChanged = keys.changed;
