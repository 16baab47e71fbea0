import { eq } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../../auth/passwords.js";
import { normalizeEmail } from "../../auth/tokens.js";
import { loginThrottles, users } from "../../db/schema.js";
import { mailerFor } from "../../mail/index.js";
import { renderMail } from "../../mail/templates.js";
import { recordAudit } from "../audit/record.js";
import { ServiceError } from "../errors.js";
import { consoleLink } from "./links.js";
import { consumeToken, issueToken, peekToken, TOKEN_TTL_MS } from "./one-time.js";
import { rejectWeakPassword } from "./rules.js";
import { revokeSessions } from "./sessions.js";
import type { AccountCtx, PublicCtx } from "./types.js";

/** Always answers the same; mails a reset link only when the account exists. */
export async function forgotPassword({ ctx, input }: { ctx: PublicCtx; input: { email: string } }) {
  const { deps } = ctx;
  const { db } = deps.database;
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(input.email)))
    .limit(1);
  if (!user || user.suspendedAt) return;
  const token = await issueToken(db, "reset_password", user.id, { email: user.email });
  await mailerFor(deps).send(
    renderMail("reset_password", user.locale, user.email, {
      email: user.email,
      link: consoleLink(deps, "/auth/reset-password", token),
      minutes: TOKEN_TTL_MS.reset_password / 60_000,
    }),
  );
}

/** Sets a new password from a reset link; every session of the account ends, and the lock lifts. */
export async function resetPassword({
  ctx,
  input,
}: {
  ctx: PublicCtx;
  input: { token: string; password: string };
}) {
  const { deps } = ctx;
  const { db } = deps.database;
  // A rejected password must not use the link up: check the rule first, consume after.
  const row = await peekToken(db, "reset_password", input.token);
  const [user] = await db.select().from(users).where(eq(users.id, row.userId!)).limit(1);
  if (!user) throw new ServiceError("gone", "This account no longer exists.");
  rejectWeakPassword(input.password, user.email);
  await consumeToken(db, "reset_password", input.token);
  const passwordHash = await hashPassword(input.password, deps.config.PASSWORD_SCRYPT_LOG_N);
  // Opening the link proves control of the address, so it also counts as verifying it.
  await db
    .update(users)
    .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date() })
    .where(eq(users.id, user.id));
  await db.delete(loginThrottles).where(eq(loginThrottles.key, `account:${user.email}`));
  await recordAudit(db, {
    tenantId: null,
    actorKeyId: null,
    actorUserId: user.id,
    action: "user.password_reset",
    resourceType: "user",
    resourceId: user.id,
    requestId: ctx.requestId,
  });
  await revokeSessions(deps, {
    userId: user.id,
    actorKeyId: null,
    actorUserId: user.id,
    tenantId: null,
    reason: "password_reset",
    requestId: ctx.requestId,
  });
  return user;
}

/** A signed-in password change; other sessions end, this one stays. */
export async function changePassword({
  ctx,
  input,
}: {
  ctx: AccountCtx;
  input: { currentPassword: string; newPassword: string };
}) {
  const { deps } = ctx;
  const { db } = deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, ctx.auth.userId)).limit(1);
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ServiceError("invalid_credentials", "The current password is incorrect.", {
      fields: [{ field: "current_password", message: "incorrect" }],
    });
  }
  rejectWeakPassword(input.newPassword, user.email, "new_password");
  const passwordHash = await hashPassword(input.newPassword, deps.config.PASSWORD_SCRYPT_LOG_N);
  await db.update(users).set({ passwordHash }).where(eq(users.id, user.id));
  await recordAudit(db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: user.id,
    action: "user.password_change",
    resourceType: "user",
    resourceId: user.id,
    requestId: ctx.requestId,
  });
  await revokeSessions(deps, {
    userId: user.id,
    ...(ctx.auth.sessionId ? { exceptSessionId: ctx.auth.sessionId } : {}),
    actorKeyId: ctx.auth.keyId,
    actorUserId: user.id,
    tenantId: ctx.auth.tenantId,
    reason: "password_change",
    requestId: ctx.requestId,
  });
}
