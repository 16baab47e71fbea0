import { and, eq, isNull } from "drizzle-orm";
import { generateKey, hashKey, visiblePrefix } from "../../auth/keys.js";
import type { Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";

/**
 * Ensures a platform admin key exists. Returns the plaintext only when it was created now from random
 * bytes (so the entry prints it once); a key given by ADMIN_API_KEY is registered but never echoed.
 */
export async function ensurePlatformKey(db: Db, adminApiKey?: string): Promise<{ created: string | null }> {
  if (adminApiKey) {
    const hash = hashKey(adminApiKey);
    const [existing] = await db.select().from(apiKeys).where(eq(apiKeys.hash, hash)).limit(1);
    if (existing) return { created: null };
    await insertPlatformKey(db, hash, visiblePrefix(adminApiKey), "platform admin (ADMIN_API_KEY)");
    return { created: null };
  }
  const [any] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(isNull(apiKeys.tenantId), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (any) return { created: null };
  const { key, prefix, hash } = generateKey();
  await insertPlatformKey(db, hash, prefix, "platform admin");
  return { created: key };
}

async function insertPlatformKey(db: Db, hash: string, prefix: string, name: string) {
  const id = newId("key");
  await db.insert(apiKeys).values({ id, tenantId: null, name, prefix, hash, scopes: ["admin"] });
  await recordAudit(db, {
    tenantId: null,
    actorKeyId: null,
    action: "platform_key.create",
    resourceType: "key",
    resourceId: id,
  });
}
