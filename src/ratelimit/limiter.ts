import type { AppDeps } from "../context.js";
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
