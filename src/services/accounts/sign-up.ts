import { count, eq } from "drizzle-orm";
import { hashPassword } from "../../auth/passwords.js";
import { normalizeEmail } from "../../auth/tokens.js";
import { orgMembers, tenants, users } from "../../db/schema.js";
import { matchLocale } from "../../i18n/locales.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { ForbiddenError } from "../errors.js";
import { sendVerification } from "./email.js";
import { duplicateEmail, rejectWeakPassword } from "./rules.js";
import type { PublicCtx } from "./types.js";

export interface SignUpInput {
  email: string;
  password: string;
  name?: string;
  organizationName?: string;
  locale?: string;
}

/**
 * Creates an account. SIGNUP=open also creates an organization with the person as owner; the platform
 * administrator (ADMIN_EMAIL, else the very first account) may always sign up.
 */
export async function signUp({ ctx, input }: { ctx: PublicCtx; input: SignUpInput }) {
  const { deps } = ctx;
  const { db } = deps.database;
  const email = normalizeEmail(input.email);
  rejectWeakPassword(input.password, email);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(users);
  const platformAdmin = deps.config.ADMIN_EMAIL ? deps.config.ADMIN_EMAIL === email : n === 0;
  if (!platformAdmin && deps.config.SIGNUP !== "open") {
    throw new ForbiddenError(
      deps.config.SIGNUP === "invite"
        ? "Sign-up is by invitation only here. Ask an organization admin to invite you."
        : "Sign-up is closed on this installation. Ask the platform administrator for an account.",
    );
  }
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) throw duplicateEmail();
  const passwordHash = await hashPassword(input.password, deps.config.PASSWORD_SCRYPT_LOG_N);
  const userId = newId("usr");
  const locale = matchLocale(input.locale ?? ctx.locale);
  const result = await db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ id: userId, email, name: input.name ?? "", passwordHash, locale, platformAdmin })
      .returning()
      .catch((err) => {
        throw /users_email_idx|unique/i.test(String(err?.message ?? err)) ? duplicateEmail() : err;
      });
    let org: typeof tenants.$inferSelect | null = null;
    if (deps.config.SIGNUP === "open" || input.organizationName) {
      [org] = (await tx
        .insert(tenants)
        .values({
          id: newId("ten"),
          name: input.organizationName ?? `${input.name || email.split("@")[0]}'s organization`,
        })
        .returning()) as [typeof tenants.$inferSelect];
      await tx.insert(orgMembers).values({ tenantId: org.id, userId, role: "owner" });
      await recordAudit(tx, {
        tenantId: org.id,
        actorKeyId: null,
        actorUserId: userId,
        action: "tenant.create",
        resourceType: "tenant",
        resourceId: org.id,
        detail: { name: org.name, via: "sign_up" },
        requestId: ctx.requestId,
      });
    }
    await recordAudit(tx, {
      tenantId: org?.id ?? null,
      actorKeyId: null,
      actorUserId: userId,
      action: "user.sign_up",
      resourceType: "user",
      resourceId: userId,
      detail: { platformAdmin },
      requestId: ctx.requestId,
    });
    return { user: user!, org };
  });
  await sendVerification(deps, result.user);
  return result;
}
