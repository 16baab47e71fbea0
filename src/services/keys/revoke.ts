import { and, eq, inArray } from "drizzle-orm";
import { actionsOf } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import { apiKeys } from "../../db/schema.js";
import { notFound } from "../../errors.js";
import { recordAudit } from "../audit/record.js";
import { keysCreatedBy } from "./list.js";

/** Revocation is immediate: every request re-reads the key row, there is no key cache to expire. */
export async function revokeKey({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const { db } = ctx.deps.database;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.id, input.id),
          eq(apiKeys.tenantId, ctx.auth.tenantId),
          // Without `admin`, a person revokes only keys they created.
          actionsOf(ctx.auth).has("admin") ? undefined : inArray(apiKeys.id, keysCreatedBy(ctx)),
        ),
      )
      .limit(1);
    if (!row) throw notFound("API key", input.id);
    if (row.revokedAt) return row;
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
      requestId: ctx.requestId,
    });
    return updated!;
  });
}
