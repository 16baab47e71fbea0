import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ROLES } from "../../auth/roles.js";
import { clientAddress, writeSessionCookie } from "../../auth/session-cookie.js";
import type { AppEnv } from "../../context.js";
import type { users } from "../../db/schema.js";
import { ApiError } from "../../errors.js";
import type { StartedSession } from "../../services/accounts/sessions.js";
import { organizationsOf } from "../../services/accounts/sessions.js";
import type { AccountCtx, PublicCtx } from "../../services/accounts/types.js";
import { isoDate } from "../common.js";

export const Email = z.string().trim().email().max(254).openapi({ example: "ada@example.com" });
export const Password = z.string().max(1024).openapi({
  example: "correct horse battery staple",
  description: "10-128 characters, not a common or breached password, not containing the email's name part.",
});
export const Token = z
  .string()
  .min(16)
  .max(200)
  .openapi({ description: "The token from the e-mailed link." });
export const RoleSchema = z.enum(ROLES).openapi({ example: "developer" });

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "usr_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    email: z.string().openapi({ example: "ada@example.com" }),
    name: z.string(),
    email_verified: z.boolean(),
    two_factor: z.boolean(),
    platform_admin: z.boolean(),
    locale: z.string().openapi({ example: "zh-CN" }),
    created_at: z.string(),
  })
  .openapi("User");

export const OrgRef = z
  .object({
    id: z.string().openapi({ example: "ten_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    name: z.string(),
    role: RoleSchema,
  })
  .openapi("OrganizationMembership");

export const SessionSchema = z
  .object({
    user: UserSchema,
    organization: OrgRef.nullable().openapi({ description: "The organization this session acts in." }),
    organizations: z.array(OrgRef),
    csrf_token: z.string().openapi({
      description:
        "Send as `X-CSRF-Token` on every POST/PUT/PATCH/DELETE authenticated by the session cookie.",
      example: "q3Jx...",
    }),
    session_id: z.string().openapi({ example: "ses_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    expires_at: z.string(),
  })
  .openapi("Session");

export const MfaChallenge = z
  .object({
    second_factor_required: z.literal(true),
    mfa_token: z.string().openapi({
      description: "Send with the code to POST /v1/auth/sign-in/second-factor within 5 minutes.",
    }),
  })
  .openapi("SecondFactorChallenge");

export const Accepted = z.object({ ok: z.literal(true), message: z.string() }).openapi("Accepted");

export function toUser(u: typeof users.$inferSelect): z.infer<typeof UserSchema> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    email_verified: u.emailVerifiedAt !== null,
    two_factor: u.totpEnabledAt !== null,
    platform_admin: u.platformAdmin,
    locale: u.locale,
    created_at: u.createdAt.toISOString(),
  };
}

type Ctx = Context<AppEnv>;

export function publicCtx(c: Ctx): PublicCtx {
  const deps = c.get("deps");
  return {
    deps,
    requestId: c.get("requestId"),
    address: clientAddress(c, deps.config),
    userAgent: c.req.header("user-agent") ?? null,
    locale: c.req.header("accept-language") ?? null,
  };
}

/** Account routes act on the signed-in person; API keys cannot change passwords or second factors. */
export function accountCtx(c: Ctx): AccountCtx {
  const auth = c.get("auth");
  if (!auth.sessionId || !auth.userId) {
    throw new ApiError("forbidden", "This needs a signed-in person (session cookie), not an API key.");
  }
  return { deps: c.get("deps"), requestId: c.get("requestId"), auth: { ...auth, userId: auth.userId } };
}

/** The session body shared by sign-in, second factor, invitation and SSO, plus the cookie. */
export async function sessionBody(
  c: Ctx,
  user: typeof users.$inferSelect,
  session: { id: string; tenantId: string | null; csrfToken: string; expiresAt: Date },
): Promise<z.infer<typeof SessionSchema>> {
  const orgs = await organizationsOf(c.get("deps").database.db, user.id);
  const list = orgs.map((o) => ({ id: o.id, name: o.name, role: o.role as z.infer<typeof RoleSchema> }));
  return {
    user: toUser(user),
    organization: list.find((o) => o.id === session.tenantId) ?? null,
    organizations: list,
    csrf_token: session.csrfToken,
    session_id: session.id,
    expires_at: isoDate(session.expiresAt)!,
  };
}

export async function startedResponse(c: Ctx, user: typeof users.$inferSelect, started: StartedSession) {
  writeSessionCookie(c, c.get("deps").config, started.token, started.session.expiresAt);
  return sessionBody(c, user, started.session);
}
