import { and, asc, desc, eq, isNull, ne } from "drizzle-orm";
import { newSecret, sha256 } from "../../auth/tokens.js";
import type { AppDeps } from "../../context.js";
import type { Db } from "../../db/client.js";
import { orgMembers, sessions, tenants, users } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { NotFoundError } from "../errors.js";

export type SessionMethod = "password" | "totp" | "recovery_code" | "sso" | "invitation";

export interface StartedSession {
  token: string;
  csrfToken: string;
  session: typeof sessions.$inferSelect;
}

/** Opens a server-side session; the token goes to the cookie, only its hash is stored. */
export async function startSession(
  deps: AppDeps,
  input: {
    userId: string;
    tenantId?: string | null;
    method: SessionMethod;
    address: string;
    userAgent: string | null;
    requestId: string;
  },
): Promise<StartedSession> {
  const { db } = deps.database;
  const tenantId = input.tenantId !== undefined ? input.tenantId : await firstOrg(db, input.userId);
  const token = newSecret();
  const csrfToken = newSecret();
  const now = Date.now();
  const [session] = await db
    .insert(sessions)
    .values({
      id: newId("ses"),
      tokenHash: sha256(token),
      userId: input.userId,
      tenantId,
      csrfToken,
      method: input.method,
      ip: input.address,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(now + deps.config.SESSION_TTL_HOURS * 3_600_000),
    })
    .returning();
  await recordAudit(db, {
    tenantId,
    actorKeyId: session!.id,
    actorUserId: input.userId,
    action: input.method === "sso" ? "auth.sso_sign_in" : "auth.sign_in",
    resourceType: "session",
    resourceId: session!.id,
    detail: { method: input.method, address: input.address },
    requestId: input.requestId,
  });
  return { token, csrfToken, session: session! };
}

export async function firstOrg(db: Db, userId: string): Promise<string | null> {
  const [m] = await db
    .select({ tenantId: orgMembers.tenantId })
    .from(orgMembers)
    .where(eq(orgMembers.userId, userId))
    .orderBy(asc(orgMembers.createdAt))
    .limit(1);
  return m?.tenantId ?? null;
}

/** The person's organizations with their role in each. */
export async function organizationsOf(db: Db, userId: string) {
  return db
    .select({ id: tenants.id, name: tenants.name, role: orgMembers.role })
    .from(orgMembers)
    .innerJoin(tenants, eq(tenants.id, orgMembers.tenantId))
    .where(eq(orgMembers.userId, userId))
    .orderBy(asc(orgMembers.createdAt));
}

export async function listSessions(db: Db, userId: string) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .orderBy(desc(sessions.id));
}

/** Revokes sessions at once (the middleware reads the row on every request; nothing is cached). */
export async function revokeSessions(
  deps: AppDeps,
  input: {
    userId: string;
    sessionId?: string;
    exceptSessionId?: string;
    actorKeyId: string | null;
    actorUserId: string | null;
    tenantId: string | null;
    reason: string;
    requestId: string;
  },
): Promise<number> {
  const { db } = deps.database;
  const conds = [eq(sessions.userId, input.userId), isNull(sessions.revokedAt)];
  if (input.sessionId) conds.push(eq(sessions.id, input.sessionId));
  if (input.exceptSessionId) conds.push(ne(sessions.id, input.exceptSessionId));
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(...conds))
    .returning({ id: sessions.id });
  if (input.sessionId && !revoked.length) throw new NotFoundError("Session", input.sessionId);
  if (revoked.length) {
    await recordAudit(db, {
      tenantId: input.tenantId,
      actorKeyId: input.actorKeyId,
      actorUserId: input.actorUserId,
      action: "session.revoke",
      resourceType: "user",
      resourceId: input.userId,
      detail: { reason: input.reason, sessions: revoked.map((r) => r.id) },
      requestId: input.requestId,
    });
  }
  return revoked.length;
}

export async function userById(db: Db, id: string) {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return u ?? null;
}
