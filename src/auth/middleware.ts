import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { ApiScope, AppEnv, AuthContext, ServiceCtx, TenantAuth } from "../context.js";
import { apiKeys } from "../db/schema.js";
import { ApiError } from "../errors.js";
import { countAuthFailure, refuseThrottledAddress } from "../ratelimit/auth-failures.js";
import { hashKey } from "./keys.js";

/**
 * Resolves `Authorization: Bearer <key>` into the request's AuthContext. This and the guards below are
 * the one place tenancy is decided: services only ever see the tenant id this produces.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  await refuseThrottledAddress(c);
  const fail = async (err: ApiError): Promise<never> => {
    await countAuthFailure(c);
    throw err;
  };
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    return fail(
      new ApiError("unauthorized", "Missing API key. Send it as `Authorization: Bearer <key>`.", {
        headers: { "www-authenticate": 'Bearer realm="ai-hub"' },
      }),
    );
  }
  const { database } = c.get("deps");
  const [row] = await database.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.hash, hashKey(match[1]!)))
    .limit(1);
  if (!row) return fail(new ApiError("unauthorized", "Unknown API key. Check that it was copied whole."));
  if (row.revokedAt)
    return fail(new ApiError("unauthorized", `API key ${row.prefix}… was revoked. Use another key.`));
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    return fail(
      new ApiError("unauthorized", `API key ${row.prefix}… expired at ${row.expiresAt.toISOString()}.`),
    );
  }
  const auth: AuthContext = {
    keyId: row.id,
    tenantId: row.tenantId,
    scopes: row.scopes as ApiScope[],
    kbIds: row.kbIds ?? null,
    platform: row.tenantId === null,
    expiresAt: row.expiresAt,
    rateLimitPerMinute: row.rateLimitPerMinute,
  };
  c.set("auth", auth);
  c.set("logger", c.get("logger").child({ keyId: row.id, tenantId: row.tenantId }));
  await next();
});

/** Only platform admin keys (tenant management). */
export function requirePlatform(auth: AuthContext): void {
  if (!auth.platform) {
    throw new ApiError("forbidden", "This operation needs the platform admin key (printed at first start).");
  }
}

/** A tenant key holding `scope` (admin implies every scope). Returns the tenant-bound context. */
export function requireTenant(auth: AuthContext, scope: ApiScope): TenantAuth {
  if (auth.platform || auth.tenantId === null) {
    throw new ApiError(
      "forbidden",
      "Platform admin keys manage tenants only. Use a tenant key (returned by POST /v1/tenants).",
    );
  }
  if (!auth.scopes.includes(scope) && !auth.scopes.includes("admin")) {
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
  const auth = c.get("auth");
  if (auth.platform || auth.tenantId === null) requireTenant(auth, "admin");
  return { deps: c.get("deps"), auth: auth as TenantAuth, requestId: c.get("requestId") };
}
