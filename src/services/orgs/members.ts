import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { authChanged } from "../../auth/key-cache.js";
import { actionsOf, canGrant, type Role } from "../../auth/roles.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { apiKeys, keyCreators, orgMembers, users } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";

export async function listMembers(ctx: ServiceCtx) {
  return ctx.deps.database.db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: orgMembers.role,
      joinedAt: orgMembers.createdAt,
      twoFactor: users.totpEnabledAt,
    })
    .from(orgMembers)
    .innerJoin(users, eq(users.id, orgMembers.userId))
    .where(eq(orgMembers.tenantId, ctx.auth.tenantId))
    .orderBy(asc(orgMembers.createdAt));
}

async function memberOf(db: Db, tenantId: string, userId: string) {
  const [m] = await db
    .select()
    .from(orgMembers)
    .where(and(eq(orgMembers.tenantId, tenantId), eq(orgMembers.userId, userId)))
    .limit(1);
  if (!m) throw new NotFoundError("Member", userId);
  return m;
}

async function ownerCount(db: Db, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(orgMembers)
    .where(and(eq(orgMembers.tenantId, tenantId), eq(orgMembers.role, "owner")));
  return row?.n ?? 0;
}

const lastOwner = (field: string) =>
  new ConflictError("An organization must keep at least one owner. Make someone else owner first.", {
    fields: [{ field, message: "last owner" }],
  });

/** Role changes need members.manage; touching the owner role (either way) needs owners.manage. */
export async function changeRole({ ctx, input }: { ctx: ServiceCtx; input: { userId: string; role: Role } }) {
  const { db } = ctx.deps.database;
  const actions = actionsOf(ctx.auth);
  const member = await memberOf(db, ctx.auth.tenantId, input.userId);
  if (!canGrant(actions, input.role) || (member.role === "owner" && !actions.has("owners.manage"))) {
    throw new ForbiddenError("Only owners can grant or take the owner role.");
  }
  if (member.role === input.role) return member;
  const changed = await db.transaction(async (tx) => {
    if (member.role === "owner" && (await ownerCount(tx, ctx.auth.tenantId)) <= 1) throw lastOwner("role");
    const [updated] = await tx
      .update(orgMembers)
      .set({ role: input.role })
      .where(and(eq(orgMembers.tenantId, ctx.auth.tenantId), eq(orgMembers.userId, input.userId)))
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "member.role_change",
      resourceType: "user",
      resourceId: input.userId,
      detail: { from: member.role, to: input.role },
      requestId: ctx.requestId,
    });
    return updated!;
  });
  authChanged(ctx.deps);
  return changed;
}

/**
 * Removes a member (or lets a person leave). Their API keys in this organization are revoked in the
 * same transaction and each revocation is audited; a key whose creator is gone would also be refused
 * by the middleware, so nothing they made keeps working.
 */
export async function removeMember({ ctx, input }: { ctx: ServiceCtx; input: { userId: string } }) {
  const { db } = ctx.deps.database;
  const actions = actionsOf(ctx.auth);
  const self = ctx.auth.userId === input.userId;
  const member = await memberOf(db, ctx.auth.tenantId, input.userId);
  if (!self) {
    if (!actions.has("members.manage")) throw new ForbiddenError("Your role cannot remove members.");
    if (member.role === "owner" && !actions.has("owners.manage")) {
      throw new ForbiddenError("Only owners can remove an owner.");
    }
  }
  const changed = await db.transaction(async (tx) => {
    if (member.role === "owner" && (await ownerCount(tx, ctx.auth.tenantId)) <= 1) throw lastOwner("user_id");
    await tx
      .delete(orgMembers)
      .where(and(eq(orgMembers.tenantId, ctx.auth.tenantId), eq(orgMembers.userId, input.userId)));
    const theirKeys = tx
      .select({ id: keyCreators.keyId })
      .from(keyCreators)
      .where(and(eq(keyCreators.tenantId, ctx.auth.tenantId), eq(keyCreators.userId, input.userId)));
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(inArray(apiKeys.id, theirKeys), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    for (const k of revoked) {
      await recordAudit(tx, {
        tenantId: ctx.auth.tenantId,
        actorKeyId: ctx.auth.keyId,
        actorUserId: ctx.auth.userId ?? null,
        action: "key.revoke",
        resourceType: "key",
        resourceId: k.id,
        detail: { reason: "member_removed", memberUserId: input.userId },
        requestId: ctx.requestId,
      });
    }
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: self ? "member.leave" : "member.remove",
      resourceType: "user",
      resourceId: input.userId,
      detail: { role: member.role, keysRevoked: revoked.map((k) => k.id) },
      requestId: ctx.requestId,
    });
    return { keysRevoked: revoked.length };
  });
  authChanged(ctx.deps);
  return changed;
}
