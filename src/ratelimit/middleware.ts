import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../context.js";
import { apiKeys } from "../db/schema.js";
import { ApiError } from "../errors.js";
import { createMemoryRateLimiter } from "./memory.js";
import type { RateLimiter } from "./types.js";

/** Deps built without a limiter (tests, the edge entry) still get an in-process one. */
const fallbackLimiters = new WeakMap<AppDeps, RateLimiter>();

export function limiterFor(deps: AppDeps): RateLimiter {
  if (deps.rateLimiter) return deps.rateLimiter;
  let limiter = fallbackLimiters.get(deps);
  if (!limiter) {
    limiter = createMemoryRateLimiter();
    fallbackLimiters.set(deps, limiter);
  }
  return limiter;
}

/** A key's limit is fixed when it is created, so a short cache saves a query on every request. */
const LIMIT_CACHE_MS = 30_000;
const limitCaches = new WeakMap<AppDeps, Map<string, { limit: number; at: number }>>();

async function keyLimit(deps: AppDeps, keyId: string): Promise<number> {
  let cache = limitCaches.get(deps);
  if (!cache) {
    cache = new Map();
    limitCaches.set(deps, cache);
  }
  const now = Date.now();
  const hit = cache.get(keyId);
  if (hit && now - hit.at < LIMIT_CACHE_MS) return hit.limit;
  const [row] = await deps.database.db
    .select({ limit: apiKeys.rateLimitPerMinute })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId))
    .limit(1);
  const limit = row?.limit ?? deps.config.RATE_LIMIT_PER_MINUTE;
  if (cache.size > 100_000) cache.clear();
  cache.set(keyId, { limit, at: now });
  return limit;
}

/**
 * Requests per minute per API key: the key's own rate_limit_per_minute, else RATE_LIMIT_PER_MINUTE
 * (0 disables). Runs after authentication. If the limiter's store fails the request is let through:
 * a Redis outage should not take the API down with it.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const deps = c.get("deps");
  const auth = c.get("auth");
  const limit = await keyLimit(deps, auth.keyId);
  if (limit <= 0) return next();
  let decision: Awaited<ReturnType<RateLimiter["hit"]>>;
  try {
    decision = await limiterFor(deps).hit(auth.keyId, limit);
  } catch (err) {
    c.get("logger").warn({ err }, "rate limiter unavailable; request not counted");
    return next();
  }
  const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
  const headers = {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": String(resetSeconds),
  };
  if (!decision.allowed) {
    throw new ApiError(
      "rate_limited",
      `This API key is limited to ${limit} requests per minute. Retry after ${resetSeconds} s, or ask an admin to raise rate_limit_per_minute.`,
      {
        headers: { ...headers, "retry-after": String(resetSeconds) },
        data: { retry_after_seconds: resetSeconds },
      },
    );
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  await next();
});
