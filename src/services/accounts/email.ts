import { eq } from "drizzle-orm";
import { verifyPassword } from "../../auth/passwords.js";
import { normalizeEmail } from "../../auth/tokens.js";
import type { AppDeps } from "../../context.js";
import { users } from "../../db/schema.js";
import { mailerFor } from "../../mail/index.js";
import { renderMail } from "../../mail/templates.js";
import { recordAudit } from "../audit/record.js";
import { ServiceError } from "../errors.js";
import { consoleLink } from "./links.js";
import { consumeToken, issueToken, TOKEN_TTL_MS } from "./one-time.js";
import { duplicateEmail } from "./rules.js";
import type { AccountCtx, PublicCtx } from "./types.js";

type User = typeof users.$inferSelect;

export async function sendVerification(deps: AppDeps, user: User): Promise<void> {
  const token = await issueToken(deps.database.db, "verify_email", user.id, { email: user.email });
  const link = consoleLink(deps, "/auth/verify-email", token);
  await mailerFor(deps).send(
    renderMail("verify_email", user.locale, user.email, {
      email: user.email,
      link,
      hours: TOKEN_TTL_MS.verify_email / 3_600_000,
    }),
  );
}

/** Marks the address verified; the token must have been issued for the address the account still has. */
export async function verifyEmail({ ctx, input }: { ctx: PublicCtx; input: { token: string } }) {
  const { db } = ctx.deps.database;
  const row = await consumeToken(db, "verify_email", input.token);
  const [user] = await db.select().from(users).where(eq(users.id, row.userId!)).limit(1);
  if (!user || user.email !== row.data.email) {
    throw new ServiceError("gone", "This link is for an address the account no longer has.", {
      fields: [{ field: "token", message: "stale" }],
    });
  }
  const [updated] = await db
    .update(users)
    .set({ emailVerifiedAt: user.emailVerifiedAt ?? new Date() })
    .where(eq(users.id, user.id))
    .returning();
  await recordAudit(db, {
    tenantId: null,
    actorKeyId: null,
    actorUserId: user.id,
    action: "user.email_verify",
    resourceType: "user",
    resourceId: user.id,
    requestId: ctx.requestId,
  });
  return updated!;
}

/** Always answers the same, so it never tells whether an email is registered. */
export async function resendVerification({ ctx, input }: { ctx: PublicCtx; input: { email: string } }) {
  const { db } = ctx.deps.database;
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(input.email)))
    .limit(1);
  if (user && !user.emailVerifiedAt) await sendVerification(ctx.deps, user);
}

/** Sends a confirmation link to the new address; the change happens when it is opened. */
export async function requestEmailChange({
  ctx,
  input,
}: {
  ctx: AccountCtx;
  input: { newEmail: string; password: string };
}) {
  const { deps } = ctx;
  const { db } = deps.database;
  const newEmail = normalizeEmail(input.newEmail);
  const [user] = await db.select().from(users).where(eq(users.id, ctx.auth.userId)).limit(1);
  if (!user?.passwordHash || !(await verifyPassword(input.password, user.passwordHash))) {
    throw new ServiceError("invalid_credentials", "The password is incorrect.", {
      fields: [{ field: "password", message: "incorrect" }],
    });
  }
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, newEmail)).limit(1);
  if (taken) throw duplicateEmail("new_email");
  const token = await issueToken(db, "change_email", user.id, { email: newEmail, oldEmail: user.email });
  await mailerFor(deps).send(
    renderMail("change_email", user.locale, newEmail, {
      email: newEmail,
      link: consoleLink(deps, "/auth/confirm-email-change", token),
      hours: TOKEN_TTL_MS.change_email / 3_600_000,
    }),
  );
}

export async function confirmEmailChange({ ctx, input }: { ctx: PublicCtx; input: { token: string } }) {
  const { deps } = ctx;
  const { db } = deps.database;
  const row = await consumeToken(db, "change_email", input.token);
  const email = String(row.data.email);
  const [user] = await db.select().from(users).where(eq(users.id, row.userId!)).limit(1);
  if (!user || user.email !== row.data.oldEmail) {
    throw new ServiceError(
      "gone",
      "The account's email changed since this link was sent. Ask for a new one.",
      { fields: [{ field: "token", message: "stale" }] },
    );
  }
  const [updated] = await db
    .update(users)
    .set({ email, emailVerifiedAt: new Date() })
    .where(eq(users.id, user.id))
    .returning()
    .catch((err) => {
      throw /unique|users_email_idx/i.test(String(err?.message ?? err)) ? duplicateEmail("token") : err;
    });
  await recordAudit(db, {
    tenantId: null,
    actorKeyId: null,
    actorUserId: user.id,
    action: "user.email_change",
    resourceType: "user",
    resourceId: user.id,
    detail: { from: user.email, to: email },
    requestId: ctx.requestId,
  });
  await mailerFor(deps).send(
    renderMail("email_changed", user.locale, user.email, { email, old_email: user.email }),
  );
  return updated!;
}
