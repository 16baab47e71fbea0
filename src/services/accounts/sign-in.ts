import { and, eq, isNull, lt, or } from "drizzle-orm";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "../../auth/passwords.js";
import { clearAccount, lockRemainingMs, recordFailure, throttleKeys } from "../../auth/throttle.js";
import { normalizeEmail, sha256 } from "../../auth/tokens.js";
import { totpStep } from "../../auth/totp.js";
import { authTokens, recoveryCodes, users } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { ForbiddenError, LimitExceededError, ServiceError } from "../errors.js";
import { consumeToken, issueToken, peekToken } from "./one-time.js";
import { type StartedSession, startSession } from "./sessions.js";
import type { PublicCtx } from "./types.js";

/** The one answer for an unknown email and a wrong password, so neither reveals that the account exists. */
const WRONG = () =>
  new ServiceError("invalid_credentials", "Email or password is incorrect.", {
    fields: [{ field: "password", message: "email or password is incorrect" }],
  });

function throttled(ms: number): ServiceError {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return new LimitExceededError(
    "too_many_attempts",
    `Too many failed sign-ins for this account or from this address. Try again in ${seconds} s, or reset your password.`,
    { retryAfterSeconds: seconds },
  );
}

export type SignInResult =
  | { kind: "session"; started: StartedSession; user: typeof users.$inferSelect }
  | { kind: "second_factor"; mfaToken: string };

const MFA_ATTEMPTS = 5;

export async function signIn({
  ctx,
  input,
}: {
  ctx: PublicCtx;
  input: { email: string; password: string };
}): Promise<SignInResult> {
  const { deps } = ctx;
  const { db } = deps.database;
  const email = normalizeEmail(input.email);
  const keys = throttleKeys(deps.config, email, ctx.address);
  const lockedMs = await lockRemainingMs(db, keys);
  if (lockedMs > 0) throw throttled(lockedMs);
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  let ok = false;
  if (user?.passwordHash) ok = await verifyPassword(input.password, user.passwordHash);
  else await burnPasswordCheck(input.password, deps.config.PASSWORD_SCRYPT_LOG_N);
  if (!user || !ok) {
    await recordFailure(db, deps.config, keys);
    await recordAudit(db, {
      tenantId: null,
      actorKeyId: null,
      actorUserId: user?.id ?? null,
      action: "auth.sign_in_failed",
      resourceType: "user",
      resourceId: user?.id ?? "unknown",
      detail: { reason: "password", emailSha256: sha256(email), address: ctx.address },
      requestId: ctx.requestId,
    });
    throw WRONG();
  }
  await clearAccount(db, email);
  await upgradeHash(ctx, user.id, input.password, user.passwordHash!);
  if (user.suspendedAt) {
    throw new ForbiddenError("This account is suspended. Contact the platform administrator.");
  }
  if (!user.emailVerifiedAt) {
    throw new ServiceError(
      "email_not_verified",
      "Confirm your email address first: open the link we sent (POST /v1/auth/email/verify/resend sends a new one).",
    );
  }
  if (user.totpEnabledAt) {
    const mfaToken = await issueToken(db, "mfa", user.id, { address: ctx.address });
    return { kind: "second_factor", mfaToken };
  }
  const started = await startSession(deps, {
    userId: user.id,
    method: "password",
    address: ctx.address,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  });
  return { kind: "session", started, user };
}

/**
 * The one moment the plain password is at hand: a hash made with older (or other) scrypt parameters is
 * replaced by one with today's, so lowering or raising PASSWORD_SCRYPT_LOG_N reaches every account that
 * signs in. The write is conditional on the old hash, so a password change in between is never undone.
 * Until an account signs in, a wrong password for it costs what its old parameters cost (unlike the
 * unknown-email answer, timed at today's); re-hashing is also what closes that timing difference.
 */
async function upgradeHash(ctx: PublicCtx, userId: string, password: string, stored: string) {
  const logN = ctx.deps.config.PASSWORD_SCRYPT_LOG_N;
  if (!needsRehash(stored, logN)) return;
  const passwordHash = await hashPassword(password, logN);
  await ctx.deps.database.db
    .update(users)
    .set({ passwordHash })
    .where(and(eq(users.id, userId), eq(users.passwordHash, stored)));
}

/** Second step: a TOTP code (not reused) or an unused recovery code, within 5 tries per challenge. */
export async function signInSecondFactor({
  ctx,
  input,
}: {
  ctx: PublicCtx;
  input: { mfaToken: string; code?: string; recoveryCode?: string };
}) {
  const { deps } = ctx;
  const { db } = deps.database;
  const challenge = await peekToken(db, "mfa", input.mfaToken, "mfa_token");
  if (challenge.attempts >= MFA_ATTEMPTS) {
    throw new ServiceError(
      "gone",
      "Too many wrong codes for this sign-in. Sign in with your password again.",
      { fields: [{ field: "mfa_token", message: "too many attempts" }] },
    );
  }
  const [user] = await db.select().from(users).where(eq(users.id, challenge.userId!)).limit(1);
  if (!user?.totpSecret || !user.totpEnabledAt) throw WRONG();
  let method: "totp" | "recovery_code" | null = null;
  if (input.code) {
    const step = totpStep(user.totpSecret, input.code);
    if (step !== null) {
      // Accepting a step is a conditional write, so a code (or a replay of it) is accepted once.
      const claimed = await db
        .update(users)
        .set({ totpLastStep: step })
        .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
        .returning({ id: users.id });
      if (claimed.length) method = "totp";
    }
  } else if (input.recoveryCode) {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(recoveryCodes.codeHash, sha256(normalizeRecoveryCode(input.recoveryCode))),
          eq(recoveryCodes.userId, user.id),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ codeHash: recoveryCodes.codeHash });
    if (used.length) method = "recovery_code";
  }
  if (!method) {
    await db
      .update(authTokens)
      .set({ attempts: challenge.attempts + 1 })
      .where(eq(authTokens.tokenHash, challenge.tokenHash));
    await recordAudit(db, {
      tenantId: null,
      actorKeyId: null,
      actorUserId: user.id,
      action: "auth.sign_in_failed",
      resourceType: "user",
      resourceId: user.id,
      detail: { reason: input.code ? "totp" : "recovery_code", address: ctx.address },
      requestId: ctx.requestId,
    });
    throw new ServiceError("invalid_credentials", "The code is not valid (or was already used).", {
      fields: [{ field: input.code ? "code" : "recovery_code", message: "not valid" }],
    });
  }
  await consumeToken(db, "mfa", input.mfaToken, "mfa_token");
  const started = await startSession(deps, {
    userId: user.id,
    method,
    address: ctx.address,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  });
  return { started, user };
}

export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase();
}
