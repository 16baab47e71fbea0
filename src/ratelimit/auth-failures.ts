import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { ApiError } from "../errors.js";
import { limiterFor } from "./limiter.js";

/**
 * Failed authentications per client address (RATE_LIMIT_AUTH_FAILURES_PER_MINUTE): guessing keys, or a
 * client stuck on a revoked one, gets 429 instead of a database lookup per attempt. Only failures count.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("deps").config.TRUST_PROXY) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header("cf-connecting-ip") ?? "unknown";
}

function throttled(limit: number, resetMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(resetMs / 1000));
  return new ApiError(
    "rate_limited",
    `Too many failed authentications from this address (RATE_LIMIT_AUTH_FAILURES_PER_MINUTE = ${limit}). Retry after ${seconds} s with a valid key.`,
    { headers: { "retry-after": String(seconds) }, data: { retry_after_seconds: seconds } },
  );
}

/** Throws 429 when the address already used up its failures; call before looking the key up. */
export async function refuseThrottledAddress(c: Context<AppEnv>): Promise<void> {
  const limit = c.get("deps").config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
  if (limit <= 0) return;
  const d = await limiterFor(c.get("deps"))
    .peek(`authfail:${clientAddress(c)}`, limit)
    .catch(() => null);
  if (d && !d.allowed) throw throttled(limit, d.resetMs);
}

/** Counts one failed authentication for the caller's address. */
export async function countAuthFailure(c: Context<AppEnv>): Promise<void> {
  const limit = c.get("deps").config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
  if (limit <= 0) return;
  await limiterFor(c.get("deps"))
    .hit(`authfail:${clientAddress(c)}`, limit)
    .catch(() => null);
}
