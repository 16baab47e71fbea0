import { and, eq } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import { orgMembers, sessions, tenantSuspensions, tenants } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { AccountCtx } from "../accounts/types.js";
import { recordAudit } from "../audit/record.js";
import { ForbiddenError, NotFoundError } from "../errors.js";

/** A person creates another organization and becomes its owner (SIGNUP=open, or a platform administrator). */
export async function createOrganization({ ctx, input }: { ctx: AccountCtx; input: { name: string } }) {
  const { deps } = ctx;
  if (deps.config.SIGNUP !== "open" && !ctx.auth.platformAdmin) {
    throw new ForbiddenError(
      "Only the platform administrator creates organizations here (SIGNUP is not open).",
    );
  }
  return deps.database.db.transaction(async (tx) => {
    const [org] = await tx
      .insert(tenants)
      .values({ id: newId("ten"), name: input.name })
      .returning();
    await tx.insert(orgMembers).values({ tenantId: org!.id, userId: ctx.auth.userId, role: "owner" });
    await recordAudit(tx, {
      tenantId: org!.id,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId,
      action: "tenant.create",
      resourceType: "tenant",
      resourceId: org!.id,
      detail: { name: input.name },
      requestId: ctx.requestId,
    });
    return org!;
  });
}

/** Moves the session to another of the person's organizations; unknown ones are 404. */
export async function switchOrganization(
  deps: AppDeps,
  input: { sessionId: string; userId: string; tenantId: string },
) {
  const { db } = deps.database;
  const [m] = await db
    .select({ role: orgMembers.role, suspended: tenantSuspensions.tenantId })
    .from(orgMembers)
    .leftJoin(tenantSuspensions, eq(tenantSuspensions.tenantId, orgMembers.tenantId))
    .where(and(eq(orgMembers.tenantId, input.tenantId), eq(orgMembers.userId, input.userId)))
    .limit(1);
  if (!m) throw new NotFoundError("Organization", input.tenantId);
  if (m.suspended) throw new ForbiddenError("This organization is suspended by the platform administrator.");
  await db.update(sessions).set({ tenantId: input.tenantId }).where(eq(sessions.id, input.sessionId));
  return m.role;
}
