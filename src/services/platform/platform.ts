import { and, count, eq, isNull } from "drizzle-orm";
import { authChanged } from "../../auth/key-cache.js";
import type { AppDeps, AuthContext } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { auditLog, orgMembers, sessions, tenantSuspensions, tenants, users } from "../../db/schema.js";
import { auditPage } from "../audit/list.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, NotFoundError } from "../errors.js";

/** What platform verbs receive: the platform key, or a person who is platform administrator. */
export interface PlatformCtx {
  deps: AppDeps;
  auth: AuthContext;
  requestId: string;
}

const audit = (ctx: PlatformCtx, action: string, resourceType: string, resourceId: string, detail = {}) =>
  recordAudit(ctx.deps.database.db, {
    tenantId: resourceType === "tenant" ? resourceId : null,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action,
    resourceType,
    resourceId,
    detail,
    requestId: ctx.requestId,
  });

export async function listOrganizations(ctx: PlatformCtx, input: PageInput) {
  const query = ctx.deps.database.db
    .select({ tenant: tenants, suspendedAt: tenantSuspensions.createdAt, members: count(orgMembers.userId) })
    .from(tenants)
    .leftJoin(tenantSuspensions, eq(tenantSuspensions.tenantId, tenants.id))
    .leftJoin(orgMembers, eq(orgMembers.tenantId, tenants.id))
    .groupBy(tenants.id, tenantSuspensions.createdAt);
  return keysetPage(query.$dynamic(), input, {
    by: tenants.id,
    cursorOf: (row) => row.tenant.id,
  });
}

export async function setOrganizationSuspended(
  ctx: PlatformCtx,
  tenantId: string,
  suspended: boolean,
  reason = "",
) {
  const { db } = ctx.deps.database;
  const [org] = await db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!org) throw new NotFoundError("Organization", tenantId);
  if (suspended) await db.insert(tenantSuspensions).values({ tenantId, reason }).onConflictDoNothing();
  else await db.delete(tenantSuspensions).where(eq(tenantSuspensions.tenantId, tenantId));
  authChanged(ctx.deps);
  await audit(ctx, suspended ? "tenant.suspend" : "tenant.restore", "tenant", tenantId, { reason });
  return org;
}

export async function listUsers(ctx: PlatformCtx, input: PageInput) {
  return keysetPage(ctx.deps.database.db.select().from(users).$dynamic(), input, { by: users.id });
}

/** Suspending a person ends their sessions at once; their keys stop working (the middleware checks). */
export async function updateUser(
  ctx: PlatformCtx,
  userId: string,
  input: { suspended?: boolean; platformAdmin?: boolean },
) {
  const { db } = ctx.deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new NotFoundError("User", userId);
  if (userId === ctx.auth.userId && (input.suspended || input.platformAdmin === false)) {
    throw new ConflictError("You cannot suspend yourself or drop your own platform administrator role.");
  }
  const [updated] = await db
    .update(users)
    .set({
      ...(input.suspended === undefined ? {} : { suspendedAt: input.suspended ? new Date() : null }),
      ...(input.platformAdmin === undefined ? {} : { platformAdmin: input.platformAdmin }),
    })
    .where(eq(users.id, userId))
    .returning();
  if (input.suspended !== undefined) authChanged(ctx.deps);
  if (input.suspended) {
    await db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  }
  if (input.suspended !== undefined)
    await audit(ctx, input.suspended ? "user.suspend" : "user.restore", "user", userId);
  if (input.platformAdmin !== undefined) {
    await audit(ctx, "user.platform_admin", "user", userId, { platformAdmin: input.platformAdmin });
  }
  return updated!;
}

/** Events that belong to no organization: sign-in failures, sign-ups, platform actions. */
export async function listPlatformAudit(
  ctx: PlatformCtx,
  input: { limit: number; cursor?: string; action?: string },
) {
  return auditPage(ctx.deps.database.db, isNull(auditLog.tenantId), input);
}
