import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiScope, AppEnv, AuthContext, ServiceCtx, TenantAuth } from "../context.js";
import { orgMembers, sessions, tenantSuspensions, users } from "../db/schema.js";
import { ApiError } from "../errors.js";
import { countAuthFailure, refuseThrottledAddress } from "../ratelimit/auth-failures.js";
import { readKey } from "./key-cache.js";
import { hashKey, sameHash } from "./keys.js";
import {
  type Action,
  actionsOf,
  actionsOfRole,
  actionsOfScopes,
  capActions,
  isRole,
  scopesOf,
} from "./roles.js";
import { CSRF_HEADER, clearSessionCookie, readSessionCookie } from "./session-cookie.js";
import { sha256 } from "./tokens.js";

/**
 * Resolves the caller into the request's AuthContext: `Authorization: Bearer <key>` (API keys, never
 * cookies), else the browser session cookie. This and the guards below are the one place tenancy and
 * rights are decided: services only ever see the tenant id and actions this produces.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  await refuseThrottledAddress(c);
  const header = c.req.header("authorization");
  let auth: AuthContext;
  try {
    auth = header ? await authenticateKey(c, header) : await authenticateSession(c);
  } catch (err) {
    // Failed credentials count toward the per-address throttle; a request with no credential at all
    // (a signed-out browser) is not a guess and does not.
    if (err instanceof ApiError && err.code === "unauthorized" && (header || readSessionCookie(c))) {
      await countAuthFailure(c);
    }
    throw err;
  }
  c.set("auth", auth);
  c.set("logger", c.get("logger").child({ keyId: auth.keyId, tenantId: auth.tenantId, userId: auth.userId }));
  await next();
});

async function authenticateKey(c: Context<AppEnv>, header: string): Promise<AuthContext> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new ApiError("unauthorized", "Missing API key. Send it as `Authorization: Bearer <key>`.", {
      headers: { "www-authenticate": 'Bearer realm="ai-hub"' },
    });
  }
  const deps = c.get("deps");
  const hash = hashKey(match[1]!);
  // The row is cached, never the verdict: revocation, expiry and suspension are decided below on every request.
  const hit = await readKey(deps, hash);
  if (!hit) throw new ApiError("unauthorized", "Unknown API key. Check that it was copied whole.");
  const { row } = hit;
  if (row.revokedAt)
    throw new ApiError("unauthorized", `API key ${row.prefix}… was revoked. Use another key.`);
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw new ApiError("unauthorized", `API key ${row.prefix}… expired at ${row.expiresAt.toISOString()}.`);
  }
  if (hit.orgSuspended) {
    throw new ApiError("forbidden", "This organization is suspended by the platform administrator.");
  }
  let actions = actionsOfScopes(row.scopes);
  if (hit.creatorId) {
    // A key never exceeds its creator's current rights; a departed or suspended creator's key is dead.
    if (!hit.creatorRole || hit.creatorSuspended) {
      throw new ApiError(
        "unauthorized",
        `API key ${row.prefix}… belonged to a member who left. Use another key.`,
      );
    }
    actions = capActions(actions, actionsOfRole(hit.creatorRole));
  }
  return {
    keyId: row.id,
    tenantId: row.tenantId,
    scopes: row.tenantId === null ? (row.scopes as ApiScope[]) : scopesOf(actions),
    kbIds: row.kbIds ?? null,
    platform: row.tenantId === null,
    expiresAt: row.expiresAt,
    rateLimitPerMinute: row.rateLimitPerMinute,
    actions,
    userId: hit.creatorId ?? null,
    role: null,
    sessionId: null,
    platformAdmin: row.tenantId === null,
  };
}

/** Unsafe methods need the CSRF token when the cookie is the credential (browsers send cookies anywhere). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** last_seen_at is refreshed at most this often, so a session request costs one read, not a write. */
const TOUCH_EVERY_MS = 5 * 60_000;

async function authenticateSession(c: Context<AppEnv>): Promise<AuthContext> {
  const token = readSessionCookie(c);
  if (!token) {
    throw new ApiError(
      "unauthorized",
      "Not signed in. Send an API key as `Authorization: Bearer <key>`, or sign in (POST /v1/auth/sign-in).",
      { headers: { "www-authenticate": 'Bearer realm="ai-hub"' } },
    );
  }
  const deps = c.get("deps");
  const [hit] = await deps.database.db
    .select({
      session: sessions,
      user: users,
      role: orgMembers.role,
      orgSuspended: tenantSuspensions.tenantId,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(
      orgMembers,
      and(eq(orgMembers.tenantId, sessions.tenantId), eq(orgMembers.userId, sessions.userId)),
    )
    .leftJoin(tenantSuspensions, eq(tenantSuspensions.tenantId, sessions.tenantId))
    .where(eq(sessions.tokenHash, sha256(token)))
    .limit(1);
  const now = Date.now();
  const s = hit?.session;
  const expired =
    !s ||
    s.revokedAt !== null ||
    s.expiresAt.getTime() <= now ||
    s.lastSeenAt.getTime() + deps.config.SESSION_IDLE_HOURS * 3_600_000 <= now;
  if (!hit || !s || expired) {
    clearSessionCookie(c, deps.config);
    throw new ApiError(
      "unauthorized",
      "Your session has ended (signed out, revoked or expired). Sign in again.",
    );
  }
  if (hit.user.suspendedAt) {
    throw new ApiError("unauthorized", "This account is suspended. Contact the platform administrator.");
  }
  if (!SAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header(CSRF_HEADER) ?? "";
    if (!sameHash(sent, s.csrfToken)) {
      throw new ApiError(
        "csrf_failed",
        "Requests signed in by cookie must send the session's CSRF token in the X-CSRF-Token header (see GET /v1/auth/session).",
        { errors: [{ field: CSRF_HEADER, message: sent ? "does not match this session" : "is missing" }] },
      );
    }
  }
  if (now - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    deps.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.id, s.id))
      .catch((err) => c.get("logger").warn({ err }, "session touch failed"));
  }
  const inOrg = s.tenantId !== null && hit.role !== null && !hit.orgSuspended;
  const actions = inOrg ? actionsOfRole(hit.role!) : new Set<Action>();
  return {
    keyId: s.id,
    tenantId: inOrg ? s.tenantId : null,
    scopes: scopesOf(actions),
    kbIds: null,
    platform: false,
    actions,
    userId: hit.user.id,
    role: inOrg && isRole(hit.role!) ? hit.role : null,
    sessionId: s.id,
    platformAdmin: hit.user.platformAdmin,
    // People have no key-level expiry or limit: the tenant/default rate limit applies.
    expiresAt: null,
    rateLimitPerMinute: null,
    ...(inOrg
      ? {}
      : {
          noOrgReason: hit.orgSuspended
            ? "Your current organization is suspended. Switch to another one (POST /v1/auth/session/org)."
            : "You are not acting in an organization. Choose one with POST /v1/auth/session/org, or accept an invitation.",
        }),
  };
}

/** Only the platform admin key or a person who is platform administrator (tenant management). */
export function requirePlatform(auth: AuthContext): void {
  if (!auth.platform && !auth.platformAdmin) {
    throw new ApiError(
      "forbidden",
      "This operation needs the platform admin key (printed at first start) or a platform administrator account.",
    );
  }
}

/** Whether the caller may do `action` (the role table for people; scopes, capped by the creator, for keys). */
export function can(auth: AuthContext, action: Action): boolean {
  return actionsOf(auth).has(action);
}

/** A tenant-bound caller allowed to do `action`; 403 names the action and, for people, their role. */
export function requireAction(auth: AuthContext, action: Action): TenantAuth {
  const tenant = requireTenant(auth, "any");
  if (!can(tenant, action)) {
    const who = auth.role ? `Your role (${auth.role})` : "This API key";
    throw new ApiError("forbidden", `${who} does not allow \`${action}\` in this organization.`);
  }
  return tenant;
}

/** A tenant key holding `scope` (admin implies every scope). Returns the tenant-bound context. */
export function requireTenant(auth: AuthContext, scope: ApiScope | "any"): TenantAuth {
  if (auth.sessionId && auth.tenantId === null) {
    throw new ApiError("forbidden", auth.noOrgReason ?? "Choose an organization first.");
  }
  if (auth.platform || auth.tenantId === null) {
    throw new ApiError(
      "forbidden",
      "Platform admin keys manage tenants only. Use a tenant key (returned by POST /v1/tenants).",
    );
  }
  if (scope !== "any" && !auth.scopes.includes(scope) && !auth.scopes.includes("admin")) {
    if (auth.role)
      throw new ApiError("forbidden", `Your role (${auth.role}) lacks the \`${scope}\` right needed here.`);
    throw new ApiError("forbidden", `This API key lacks the \`${scope}\` scope needed here.`);
  }
  return auth as TenantAuth;
}

/** Builds the ctx service verbs take, after checking the scope. */
export function serviceCtx(
  c: { get: <K extends keyof AppEnv["Variables"]>(k: K) => AppEnv["Variables"][K] },
  scope: ApiScope,
): ServiceCtx {
  return { deps: c.get("deps"), auth: requireTenant(c.get("auth"), scope), requestId: c.get("requestId") };
}

export { canSeeKb } from "./rights.js";

/** For reads any tenant key may do (listing and viewing knowledge bases): tenancy only, no scope. */
export function tenantCtx(c: {
  get: <K extends keyof AppEnv["Variables"]>(k: K) => AppEnv["Variables"][K];
}): ServiceCtx {
  return { deps: c.get("deps"), auth: requireTenant(c.get("auth"), "any"), requestId: c.get("requestId") };
}

/** Builds the ctx service verbs take, after checking a finer action of the role table. */
export function actionCtx(
  c: { get: <K extends keyof AppEnv["Variables"]>(k: K) => AppEnv["Variables"][K] },
  action: Action,
): ServiceCtx {
  return { deps: c.get("deps"), auth: requireAction(c.get("auth"), action), requestId: c.get("requestId") };
}
