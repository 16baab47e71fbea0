import { generateKey } from "../../auth/keys.js";
import type { AuthContext } from "../../context.js";
import type { Db } from "../../db/client.js";
import { apiKeys, tenants } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";

export interface CreateTenantInput {
  name: string;
  monthlyBudgetMicros?: number | null;
}

/** Creates a tenant and its first tenant-admin key; the plaintext key is returned only here. */
export async function createTenant({
  ctx,
  input,
}: {
  ctx: { db: Db; auth: AuthContext; requestId: string };
  input: CreateTenantInput;
}) {
  const tenantId = newId("ten");
  const keyId = newId("key");
  const { key, prefix, hash } = generateKey();
  return ctx.db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ id: tenantId, name: input.name, monthlyBudgetMicros: input.monthlyBudgetMicros ?? null })
      .returning();
    const [keyRow] = await tx
      .insert(apiKeys)
      .values({ id: keyId, tenantId, name: "tenant admin", prefix, hash, scopes: ["admin"] })
      .returning();
    await recordAudit(tx, {
      tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "tenant.create",
      resourceType: "tenant",
      resourceId: tenantId,
      detail: { name: input.name, first_key_id: keyId },
      requestId: ctx.requestId,
    });
    return { tenant: tenant!, key: { ...keyRow!, plaintext: key } };
  });
}
