import { eq } from "drizzle-orm";
import { generateKey } from "../../auth/keys.js";
import type { AuthContext } from "../../context.js";
import type { Db } from "../../db/client.js";
import { apiKeys, tenants } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { NotFoundError } from "../errors.js";

/**
 * Issues a new unrestricted admin key to an existing tenant: the platform admin's way back in for a
 * tenant that lost its admin keys (leaked and revoked, or lost). Recorded in the tenant's own audit log,
 * so its admins see that the platform issued it.
 */
export async function issueRecoveryKey({
  ctx,
  input,
}: {
  ctx: { db: Db; auth: AuthContext; requestId: string };
  input: { tenantId: string; name?: string; reason?: string };
}) {
  const keyId = newId("key");
  const { key, prefix, hash } = generateKey();
  return ctx.db.transaction(async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, input.tenantId)).limit(1);
    if (!tenant) throw new NotFoundError("Tenant", input.tenantId);
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id: keyId,
        tenantId: tenant.id,
        name: input.name ?? "recovery admin",
        prefix,
        hash,
        scopes: ["admin"],
      })
      .returning();
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorKeyId: ctx.auth.keyId,
      action: "key.recover",
      resourceType: "key",
      resourceId: keyId,
      detail: { issuedBy: "platform", ...(input.reason ? { reason: input.reason } : {}) },
      requestId: ctx.requestId,
    });
    return { ...row!, plaintext: key };
  });
}
