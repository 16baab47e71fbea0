/** Counts requests per key in fixed one-minute windows; Redis-backed when shared, in-process otherwise. */
export interface RateLimiter {
  /**
   * Counts a request of `weight` units (default 1) for `key` against `limit` per window; never throws
   * for "over the limit".
   */
  hit(key: string, limit: number, weight?: number): Promise<RateLimitDecision>;
  /** The decision a request would get now, without counting it. */
  peek(key: string, limit: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the current window ends (when the count resets). */
  resetMs: number;
}

export const WINDOW_MS = 60_000;

export function decide(count: number, limit: number, resetMs: number): RateLimitDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetMs: Math.max(0, resetMs),
  };
}
