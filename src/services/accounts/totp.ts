import { eq } from "drizzle-orm";
import { verifyPassword } from "../../auth/passwords.js";
import { newSecret, sha256 } from "../../auth/tokens.js";
import { newTotpSecret, totpStep, totpUri } from "../../auth/totp.js";
import { recoveryCodes, users } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, ServiceError, ValidationError } from "../errors.js";
import { normalizeRecoveryCode } from "./sign-in.js";
import type { AccountCtx } from "./types.js";

const RECOVERY_CODES = 10;

async function me(ctx: AccountCtx) {
  const [user] = await ctx.deps.database.db
    .select()
    .from(users)
    .where(eq(users.id, ctx.auth.userId))
    .limit(1);
  if (!user) throw new ServiceError("unauthorized", "This account no longer exists.");
  return user;
}

function audit(ctx: AccountCtx, action: string) {
  return recordAudit(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId,
    action,
    resourceType: "user",
    resourceId: ctx.auth.userId,
    requestId: ctx.requestId,
  });
}

/** Step 1 of enrolment: a new secret, shown once; two-factor is not on until a code confirms it. */
export async function setupTotp({ ctx }: { ctx: AccountCtx }) {
  const user = await me(ctx);
  if (user.totpEnabledAt) {
    throw new ConflictError("Two-factor sign-in is already on. Turn it off first to enrol a new device.");
  }
  const secret = newTotpSecret();
  await ctx.deps.database.db.update(users).set({ totpSecret: secret }).where(eq(users.id, user.id));
  await audit(ctx, "user.totp_setup");
  return { secret, uri: totpUri(secret, user.email) };
}

/** Step 2: a valid code turns two-factor on and returns the one-time recovery codes (shown once). */
export async function enableTotp({ ctx, input }: { ctx: AccountCtx; input: { code: string } }) {
  const { db } = ctx.deps.database;
  const user = await me(ctx);
  if (!user.totpSecret || user.totpEnabledAt) {
    throw new ConflictError("Start enrolment with POST /v1/auth/2fa/totp/setup first.");
  }
  const step = totpStep(user.totpSecret, input.code);
  if (step === null) {
    throw new ValidationError("The code does not match; check the device's clock and try again.", [
      { field: "code", message: "does not match" },
    ]);
  }
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = newSecret(10)
      .replace(/[^a-zA-Z0-9]/g, "")
      .toLowerCase()
      .slice(0, 10)
      .padEnd(10, "x");
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpEnabledAt: new Date(), totpLastStep: step })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx
      .insert(recoveryCodes)
      .values(codes.map((c) => ({ codeHash: sha256(normalizeRecoveryCode(c)), userId: user.id })));
  });
  await audit(ctx, "user.totp_enable");
  return { recoveryCodes: codes };
}

/** Turning two-factor off needs the password again. */
export async function disableTotp({ ctx, input }: { ctx: AccountCtx; input: { password: string } }) {
  const { db } = ctx.deps.database;
  const user = await me(ctx);
  if (!user.passwordHash || !(await verifyPassword(input.password, user.passwordHash))) {
    throw new ServiceError("invalid_credentials", "The password is incorrect.", {
      fields: [{ field: "password", message: "incorrect" }],
    });
  }
  await db
    .update(users)
    .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where(eq(users.id, user.id));
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
  await audit(ctx, "user.totp_disable");
}
