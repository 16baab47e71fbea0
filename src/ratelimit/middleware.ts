import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { ApiError } from "../errors.js";
import { planRateLimit } from "../services/billing/plan-rate.js";
import { requestCost } from "./cost.js";
import { limiterFor } from "./limiter.js";
import type { RateLimiter } from "./types.js";

/**
 * Requests per minute per API key on every authenticated route, weighted by cost (ratelimit/cost.ts):
 * the key's own rate_limit_per_minute, else RATE_LIMIT_PER_MINUTE (0 disables). Runs after
 * authentication and reads the key's limit from the auth context (no second key lookup). If the
 * limiter's store fails the request is let through: a Redis outage should not take the API down with it.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const deps = c.get("deps");
  const auth = c.get("auth");
  // A key's own limit first, then its organization's plan (BILLING=on), then the server default.
  const planLimit =
    auth.rateLimitPerMinute == null && auth.tenantId ? await planRateLimit(deps, auth.tenantId) : null;
  const limit = auth.rateLimitPerMinute ?? planLimit ?? deps.config.RATE_LIMIT_PER_MINUTE;
  if (limit <= 0) return next();
  const cost = await requestCost(c);
  let decision: Awaited<ReturnType<RateLimiter["hit"]>>;
  try {
    decision = await limiterFor(deps).hit(auth.keyId, limit, cost);
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
      `This API key is limited to ${limit} request units per minute and this request costs ${cost}. Retry after ${resetSeconds} s, or ask an admin to raise rate_limit_per_minute.`,
      {
        headers: { ...headers, "retry-after": String(resetSeconds) },
        data: { retry_after_seconds: resetSeconds, request_cost: cost },
      },
    );
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  await next();
});
