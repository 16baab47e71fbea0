import { Redis } from "ioredis";
import { decide, type RateLimiter, WINDOW_MS } from "./types.js";

/**
 * Fixed-window limiter shared by every API process through Redis. One Lua call counts the request and
 * sets the window's expiry atomically, so a crash between INCR and EXPIRE cannot leave a key forever.
 */
const HIT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

export interface RedisRateLimiterOptions {
  url?: string;
  /** An existing connection (not closed by close()). */
  client?: Redis;
  /** Namespace for keys, so deployments (and tests) sharing a Redis never count together. */
  prefix?: string;
  windowMs?: number;
}

export function createRedisRateLimiter(opts: RedisRateLimiterOptions): RateLimiter {
  const windowMs = opts.windowMs ?? WINDOW_MS;
  const prefix = opts.prefix ?? "aihub:rl:";
  const owned = !opts.client;
  const redis =
    opts.client ??
    new Redis(opts.url ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 2, lazyConnect: false });
  return {
    async hit(key, limit, weight = 1) {
      const window = Math.floor(Date.now() / windowMs);
      const [count, ttl] = (await redis.eval(
        HIT,
        1,
        `${prefix}${key}:${window}`,
        String(windowMs),
        String(weight),
      )) as [number, number];
      return decide(count, limit, ttl);
    },
    async peek(key, limit) {
      const now = Date.now();
      const window = Math.floor(now / windowMs);
      const count = Number((await redis.get(`${prefix}${key}:${window}`)) ?? 0);
      return decide(count + 1, limit, (window + 1) * windowMs - now);
    },
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
