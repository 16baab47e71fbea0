import { decide, type RateLimiter, WINDOW_MS } from "./types.js";

/**
 * In-process fixed-window limiter for single-process deployments. Windows are aligned to the clock,
 * like the Redis limiter, so both behave the same; expired windows are swept as the map is touched.
 */
export function createMemoryRateLimiter(opts: { windowMs?: number; now?: () => number } = {}): RateLimiter {
  const windowMs = opts.windowMs ?? WINDOW_MS;
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;

  function sweep(t: number) {
    if (t - lastSweep < windowMs) return;
    lastSweep = t;
    for (const [k, w] of windows) if (w.start + windowMs <= t) windows.delete(k);
  }

  return {
    async hit(key, limit, weight = 1) {
      const t = now();
      sweep(t);
      const start = t - (t % windowMs);
      let w = windows.get(key);
      if (!w || w.start !== start) {
        w = { start, count: 0 };
        windows.set(key, w);
      }
      w.count += weight;
      return decide(w.count, limit, start + windowMs - t);
    },
    async peek(key, limit) {
      const t = now();
      const start = t - (t % windowMs);
      const w = windows.get(key);
      // "Would one more unit pass?": the count so far plus this request.
      return decide((w && w.start === start ? w.count : 0) + 1, limit, start + windowMs - t);
    },
    async close() {
      windows.clear();
    },
  };
}
