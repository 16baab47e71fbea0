import { and, desc, eq, isNull } from "drizzle-orm";
import { hashPassword } from "../../auth/passwords.js";
import { actionsOf, canGrant, type Role } from "../../auth/roles.js";
import { newSecret, normalizeEmail, sha256 } from "../../auth/tokens.js";
import type { ServiceCtx } from "../../context.js";
import { invitations, orgMembers, tenants, users } from "../../db/schema.js";
import { matchLocale } from "../../i18n/locales.js";
import { newId } from "../../ids.js";
import { mailerFor } from "../../mail/index.js";
import { renderMail } from "../../mail/templates.js";
import { consoleLink } from "../accounts/links.js";
import { rejectWeakPassword } from "../accounts/rules.js";
import { startSession } from "../accounts/sessions.js";
import type { PublicCtx } from "../accounts/types.js";
import { recordAudit } from "../audit/record.js";
import { enforceQuota } from "../billing/quota.js";
import { ConflictError, ForbiddenError, NotFoundError, ServiceError, ValidationError } from "../errors.js";

export const INVITATION_DAYS = 7;

export async function createInvitation({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { email: string; role: Role; locale?: string };
}) {
  const { deps } = ctx;
  const { db } = deps.database;
  if (!canGrant(actionsOf(ctx.auth), input.role)) {
    throw new ForbiddenError(`Your role cannot invite people as ${input.role}.`);
  }
  const email = normalizeEmail(input.email);
  const [already] = await db
    .select({ userId: orgMembers.userId })
    .from(orgMembers)
    .innerJoin(users, eq(users.id, orgMembers.userId))
    .where(and(eq(orgMembers.tenantId, ctx.auth.tenantId), eq(users.email, email)))
    .limit(1);
  if (already) {
    throw new ConflictError("This person is already a member.", {
      fields: [{ field: "email", message: "already a member" }],
    });
  }
  // Checked at invitation, when the organization can still choose whom to invite (members quota).
  await enforceQuota(ctx, "members");
  const [org] = await db.select().from(tenants).where(eq(tenants.id, ctx.auth.tenantId)).limit(1);
  const [inviter] = ctx.auth.userId
    ? await db.select().from(users).where(eq(users.id, ctx.auth.userId)).limit(1)
    : [];
  const [invitee] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const token = newSecret();
  const [row] = await db
    .insert(invitations)
    .values({
      id: newId("inv"),
      tenantId: ctx.auth.tenantId,
      email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: ctx.auth.userId ?? null,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    })
    .returning();
  await recordAudit(db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action: "invitation.create",
    resourceType: "invitation",
    resourceId: row!.id,
    detail: { email, role: input.role },
    requestId: ctx.requestId,
  });
  const locale = invitee?.locale ?? input.locale ?? inviter?.locale;
  await mailerFor(deps).send(
    renderMail("invitation", locale, email, {
      inviter: inviter ? inviter.name || inviter.email : "An administrator",
      org: org?.name ?? "",
      role: input.role,
      link: consoleLink(deps, "/auth/accept-invitation", token),
      days: INVITATION_DAYS,
    }),
  );
  return row!;
}

export async function listInvitations(ctx: ServiceCtx) {
  return ctx.deps.database.db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, ctx.auth.tenantId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .orderBy(desc(invitations.id));
}

export async function revokeInvitation({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const { db } = ctx.deps.database;
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.id, input.id),
        eq(invitations.tenantId, ctx.auth.tenantId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning();
  if (!row) throw new NotFoundError("Invitation", input.id);
  await recordAudit(db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action: "invitation.revoke",
    resourceType: "invitation",
    resourceId: row.id,
    requestId: ctx.requestId,
  });
  return row;
}

/**
 * Accepts an invitation. The token arrived by mail at the invited address, which proves control of it:
 * an existing account with that address becomes a member (and signs in again as usual); otherwise a
 * new, verified account is created with the given password and a session starts (unless SIGNUP=closed).
 */
export async function acceptInvitation({
  ctx,
  input,
}: {
  ctx: PublicCtx;
  input: { token: string; password?: string; name?: string };
}) {
  const { deps } = ctx;
  const { db } = deps.database;
  const gone = (message: string, why: string) =>
    new ServiceError("gone", message, { fields: [{ field: "token", message: why }] });
  const [inv] = await db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, sha256(input.token)))
    .limit(1);
  if (!inv || inv.revokedAt)
    throw gone("This invitation is not valid (or was withdrawn). Ask for a new one.", "unknown");
  if (inv.acceptedAt) throw gone("This invitation was already accepted. Sign in instead.", "already used");
  if (inv.expiresAt.getTime() <= Date.now())
    throw gone("This invitation has expired. Ask for a new one.", "expired");
  const [existing] = await db.select().from(users).where(eq(users.email, inv.email)).limit(1);
  if (!existing && deps.config.SIGNUP === "closed") {
    throw new ForbiddenError("New accounts are closed on this installation; ask the platform administrator.");
  }
  if (!existing) {
    if (!input.password) {
      throw new ValidationError("Choose a password to create your account.", [
        { field: "password", message: "required for a new account" },
      ]);
    }
    rejectWeakPassword(input.password, inv.email);
  }
  const passwordHash = existing
    ? null
    : await hashPassword(input.password!, deps.config.PASSWORD_SCRYPT_LOG_N);
  const result = await db.transaction(async (tx) => {
    const claimed = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    if (!claimed.length) throw gone("This invitation was already accepted. Sign in instead.", "already used");
    let user = existing;
    if (!user) {
      [user] = await tx
        .insert(users)
        .values({
          id: newId("usr"),
          email: inv.email,
          name: input.name ?? "",
          passwordHash,
          emailVerifiedAt: new Date(),
          locale: matchLocale(ctx.locale),
        })
        .returning();
    }
    await tx
      .insert(orgMembers)
      .values({ tenantId: inv.tenantId, userId: user!.id, role: inv.role })
      .onConflictDoNothing();
    await recordAudit(tx, {
      tenantId: inv.tenantId,
      actorKeyId: null,
      actorUserId: user!.id,
      action: "invitation.accept",
      resourceType: "invitation",
      resourceId: inv.id,
      detail: { role: inv.role, newAccount: !existing },
      requestId: ctx.requestId,
    });
    return { user: user!, created: !existing };
  });
  const started = result.created
    ? await startSession(deps, {
        userId: result.user.id,
        tenantId: inv.tenantId,
        method: "invitation",
        address: ctx.address,
        userAgent: ctx.userAgent,
        requestId: ctx.requestId,
      })
    : null;
  return { ...result, tenantId: inv.tenantId, role: inv.role as Role, started };
}
