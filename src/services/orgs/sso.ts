import { and, eq } from "drizzle-orm";
import * as oidc from "openid-client";
import { isRole, type Role } from "../../auth/roles.js";
import { newSecret, normalizeEmail } from "../../auth/tokens.js";
import type { AppDeps, ServiceCtx } from "../../context.js";
import { orgMembers, ssoConfigs, tenantSuspensions, users } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { consumeToken, issueToken } from "../accounts/one-time.js";
import { startSession } from "../accounts/sessions.js";
import type { PublicCtx } from "../accounts/types.js";
import { recordAudit } from "../audit/record.js";
import { ForbiddenError, NotFoundError, ServiceError, ValidationError } from "../errors.js";

export interface SsoSettingsInput {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  allowedDomains: string[];
  defaultRole: Role;
  enabled: boolean;
}

export function redirectUri(deps: AppDeps): string {
  const base = (deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`).replace(/\/$/, "");
  return `${base}/v1/auth/sso/callback`;
}

export async function getSso(ctx: ServiceCtx) {
  const [row] = await ctx.deps.database.db
    .select()
    .from(ssoConfigs)
    .where(eq(ssoConfigs.tenantId, ctx.auth.tenantId))
    .limit(1);
  return row ?? null;
}

/** Saves the organization's OIDC settings. The default role may not exceed what the saver may grant. */
export async function putSso({ ctx, input }: { ctx: ServiceCtx; input: SsoSettingsInput }) {
  const { db } = ctx.deps.database;
  if (input.defaultRole === "owner") {
    throw new ValidationError("People created by single sign-on cannot start as owners.", [
      { field: "default_role", message: "owner is not allowed" },
    ]);
  }
  const existing = await getSso(ctx);
  const clientSecret = input.clientSecret ?? existing?.clientSecret;
  if (!clientSecret) {
    throw new ValidationError("client_secret is required the first time.", [
      { field: "client_secret", message: "required" },
    ]);
  }
  const values = {
    tenantId: ctx.auth.tenantId,
    issuer: input.issuer.replace(/\/$/, ""),
    clientId: input.clientId,
    clientSecret,
    allowedDomains: [...new Set(input.allowedDomains.map((d) => d.toLowerCase()))],
    defaultRole: input.defaultRole,
    enabled: input.enabled,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(ssoConfigs)
    .values(values)
    .onConflictDoUpdate({ target: ssoConfigs.tenantId, set: values })
    .returning();
  await recordAudit(db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action: "sso.update",
    resourceType: "sso",
    resourceId: ctx.auth.tenantId,
    detail: {
      issuer: values.issuer,
      allowedDomains: values.allowedDomains,
      defaultRole: values.defaultRole,
      enabled: values.enabled,
    },
    requestId: ctx.requestId,
  });
  return row!;
}

export async function deleteSso(ctx: ServiceCtx) {
  const { db } = ctx.deps.database;
  const deleted = await db.delete(ssoConfigs).where(eq(ssoConfigs.tenantId, ctx.auth.tenantId)).returning();
  if (deleted.length) {
    await recordAudit(db, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "sso.delete",
      resourceType: "sso",
      resourceId: ctx.auth.tenantId,
      requestId: ctx.requestId,
    });
  }
  return deleted.length > 0;
}

/** Discovery per sign-in: settings may change at any time and the provider's keys rotate. */
async function clientFor(row: typeof ssoConfigs.$inferSelect) {
  const issuer = new URL(row.issuer);
  // Plain http only for a provider on this machine (development and tests).
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
  try {
    return await oidc.discovery(issuer, row.clientId, row.clientSecret, undefined, {
      ...(issuer.protocol === "http:" && loopback ? { execute: [oidc.allowInsecureRequests] } : {}),
      timeout: 10,
    });
  } catch (err) {
    throw new ServiceError(
      "upstream_error",
      `The identity provider ${row.issuer} could not be reached or is misconfigured: ${(err as Error).message}`,
    );
  }
}

async function enabledSso(deps: AppDeps, tenantId: string) {
  const [row] = await deps.database.db
    .select()
    .from(ssoConfigs)
    .where(eq(ssoConfigs.tenantId, tenantId))
    .limit(1);
  if (!row?.enabled) throw new NotFoundError("Single sign-on for organization", tenantId);
  return row;
}

/** Step 1: where to send the browser (authorization code flow with PKCE, state and nonce). */
export async function startSso({
  ctx,
  input,
}: {
  ctx: PublicCtx;
  input: { tenantId: string; loginHint?: string };
}) {
  const row = await enabledSso(ctx.deps, input.tenantId);
  const config = await clientFor(row);
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = newSecret();
  await issueToken(
    ctx.deps.database.db,
    "oidc_state",
    null,
    { tenantId: row.tenantId, verifier, nonce },
    state,
  );
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(ctx.deps),
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(input.loginHint ? { login_hint: input.loginHint } : {}),
  });
}

/**
 * Step 2: the provider sent the browser back. The ID token's verified email must be in an allowed
 * domain; a new person gets an account (no password) and the default role, a known one keeps theirs.
 */
export async function finishSso({ ctx, input }: { ctx: PublicCtx; input: { currentUrl: URL } }) {
  const { deps } = ctx;
  const { db } = deps.database;
  const state = input.currentUrl.searchParams.get("state") ?? "";
  const error = input.currentUrl.searchParams.get("error");
  const pending = await consumeToken(db, "oidc_state", state, "state");
  if (error) throw new ForbiddenError(`The identity provider refused the sign-in: ${error}.`);
  const tenantId = String(pending.data.tenantId);
  const row = await enabledSso(deps, tenantId);
  const config = await clientFor(row);
  // The callback URL as the provider saw it (behind proxies the request URL may differ).
  const callback = new URL(redirectUri(deps));
  callback.search = input.currentUrl.search;
  let claims: Record<string, unknown> | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: String(pending.data.verifier),
      expectedState: state,
      expectedNonce: String(pending.data.nonce),
    });
    claims = tokens.claims() as Record<string, unknown> | undefined;
    // Providers that follow the spec strictly put scope claims only in userinfo, not the ID token.
    if (claims && typeof claims.email !== "string") {
      claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))) };
    }
  } catch (err) {
    throw new ServiceError("unauthorized", `Single sign-on failed: ${(err as Error).message}`);
  }
  const email = typeof claims?.email === "string" ? normalizeEmail(claims.email) : "";
  const domain = email.split("@")[1] ?? "";
  const audit = (action: string, userId: string | null, detail: Record<string, unknown>) =>
    recordAudit(db, {
      tenantId,
      actorKeyId: null,
      actorUserId: userId,
      action,
      resourceType: "sso",
      resourceId: tenantId,
      detail: { email, subject: claims?.sub, ...detail },
      requestId: ctx.requestId,
    });
  if (!email || claims?.email_verified === false) {
    await audit("auth.sso_sign_in_failed", null, { reason: "no verified email" });
    throw new ForbiddenError("The identity provider did not give a verified email address.");
  }
  if (!row.allowedDomains.includes(domain)) {
    await audit("auth.sso_sign_in_failed", null, { reason: "domain not allowed" });
    throw new ForbiddenError(`Accounts of ${domain} may not sign in to this organization by single sign-on.`);
  }
  const [suspended] = await db
    .select()
    .from(tenantSuspensions)
    .where(eq(tenantSuspensions.tenantId, tenantId))
    .limit(1);
  if (suspended) throw new ForbiddenError("This organization is suspended by the platform administrator.");
  let [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (user?.suspendedAt)
    throw new ForbiddenError("This account is suspended. Contact the platform administrator.");
  if (!user) {
    const name = typeof claims?.name === "string" ? claims.name : "";
    [user] = await db
      .insert(users)
      .values({
        id: newId("usr"),
        email,
        name,
        passwordHash: null,
        emailVerifiedAt: new Date(),
        locale: "en",
      })
      .returning();
  }
  const [member] = await db
    .select()
    .from(orgMembers)
    .where(and(eq(orgMembers.tenantId, tenantId), eq(orgMembers.userId, user!.id)))
    .limit(1);
  if (!member) {
    const role = isRole(row.defaultRole) ? row.defaultRole : "viewer";
    await db.insert(orgMembers).values({ tenantId, userId: user!.id, role });
    await audit("member.join_sso", user!.id, { role });
  }
  const started = await startSession(deps, {
    userId: user!.id,
    tenantId,
    method: "sso",
    address: ctx.address,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  });
  return { user: user!, started };
}
