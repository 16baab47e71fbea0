import { and, arrayContains, eq } from "drizzle-orm";
import { normalizeEmail } from "../../auth/tokens.js";
import type { AppDeps } from "../../context.js";
import { ssoConfigs } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";

/**
 * What the sign-in page needs before anyone is signed in: whether accounts can be created here, and
 * whether any organization signs in through its identity provider (the page then offers SSO).
 * Organization names and ids are never listed: the page finds the organization from an email's domain.
 */
export async function signInOptions(deps: AppDeps) {
  const [sso] = await deps.database.db
    .select({ tenantId: ssoConfigs.tenantId })
    .from(ssoConfigs)
    .where(eq(ssoConfigs.enabled, true))
    .limit(1);
  return { signUp: deps.config.SIGNUP, sso: sso !== undefined };
}

/** The organization whose enabled SSO allows this email's domain (several: the oldest setting wins). */
export async function ssoForEmail(deps: AppDeps, email: string): Promise<string> {
  const domain = normalizeEmail(email).split("@")[1] ?? "";
  const [row] = await deps.database.db
    .select({ tenantId: ssoConfigs.tenantId })
    .from(ssoConfigs)
    .where(and(eq(ssoConfigs.enabled, true), arrayContains(ssoConfigs.allowedDomains, [domain])))
    .orderBy(ssoConfigs.updatedAt)
    .limit(1);
  if (!row) throw new NotFoundError("Single sign-on for the domain", domain || email);
  return row.tenantId;
}
