import { and, count, eq, ne } from "drizzle-orm";
import { authChanged } from "../../auth/key-cache.js";
import { isUnrestrictedAdmin, liveUnrestrictedAdminSql } from "../../auth/rights.js";
import type { ServiceCtx } from "../../context.js";
import { apiKeys, tenants } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError } from "../errors.js";
import { findVisibleKey } from "./get.js";

/**
 * Revocation is immediate: every request re-reads the key row, there is no key cache to expire.
 * A key can only revoke keys within its own rights, and never the tenant's last unrestricted admin key
 * (the tenant would be locked out: only the platform admin could issue a new one).
 */
export async function revokeKey({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const { db } = ctx.deps.database;
  const revoked = await db.transaction(async (tx) => {
    // The tenant row lock serializes concurrent revocations, so two admins cannot revoke each other.
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, ctx.auth.tenantId)).for("update");
    const row = await findVisibleKey(tx, ctx, input.id, true);
    if (row.revokedAt) return row;
    if (isUnrestrictedAdmin(row)) {
      const [others] = await tx
        .select({ n: count() })
        .from(apiKeys)
        .where(
          and(eq(apiKeys.tenantId, ctx.auth.tenantId), ne(apiKeys.id, row.id), liveUnrestrictedAdminSql()),
        );
      if ((others?.n ?? 0) === 0) {
        throw new ConflictError(
          `API key ${row.prefix}… is the tenant's last admin key over all knowledge bases without expiry; revoking it would lock the tenant out. Create another such key first.`,
        );
      }
    }
    const [updated] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, input.id))
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "key.revoke",
      resourceType: "key",
      resourceId: input.id,
      kbIds: row.kbIds ?? [],
      requestId: ctx.requestId,
    });
    return updated!;
  });
  // After the commit: a read racing the transaction could otherwise cache the key as it was.
  authChanged(ctx.deps);
  return revoked;
}
