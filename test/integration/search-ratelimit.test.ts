import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryRateLimiter } from "../../src/ratelimit/memory.js";
import { createRedisRateLimiter } from "../../src/ratelimit/redis.js";
import type { RateLimiter } from "../../src/ratelimit/types.js";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("per-key rate limits on /v1/search and /v1/ask", () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  });
  afterEach(async () => {
    if (prefix) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
  });
  afterAll(async () => {
    await redis.quit();
  });

  const limiters: [string, () => RateLimiter][] = [
    ["in-process", () => createMemoryRateLimiter()],
    [
      "redis",
      () => {
        prefix = `test:rl:${randomBytes(6).toString("hex")}:`;
        return createRedisRateLimiter({ client: redis, prefix });
      },
    ],
  ];

  /**
   * Windows are aligned to the clock minute: a run that crossed a boundary between its requests would
   * start counting again. Start with at least 15 s of the current window left.
   */
  async function awayFromWindowEdge() {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((r) => setTimeout(r, left + 50));
  }

  describe.each(limiters)("%s limiter", (_name, make) => {
    let a: AskTestApp;
    let geo: Awaited<ReturnType<typeof seedGeography>>;
    beforeAll(async () => {
      a = await startAskTestApp("pglite", {
        rateLimiter: make(),
        models: null,
        env: { RATE_LIMIT_PER_MINUTE: "1000" },
      });
      geo = await seedGeography(a);
    });
    afterAll(async () => a?.close());

    it("answers 429 with Retry-After once a key's per-minute limit is used up", async () => {
      await awayFromWindowEdge();
      const { key } = await a.t.newKey(geo.adminKey, ["query"], { rate_limit_per_minute: 3 });
      const body = { query: "Paris", knowledge_base_ids: [geo.kbId] };
      for (let i = 0; i < 2; i++) {
        const ok = await a.t.call("POST", "/v1/search", { key, body });
        expect(ok.status).toBe(200);
        expect(ok.headers.get("ratelimit-remaining")).toBe(String(2 - i));
      }
      const third = await ask(a.t, key, { question: "Capital of France?", knowledge_base_ids: [geo.kbId] });
      expect(third.status).toBe(200);
      for (const attempt of [
        () => a.t.call("POST", "/v1/search", { key, body }),
        () =>
          a.t.call("POST", "/v1/ask", {
            key,
            body: { question: "Capital?", knowledge_base_ids: [geo.kbId] },
          }),
      ]) {
        const over = await attempt();
        expect(over.status).toBe(429);
        expect(over.body.code).toBe("rate_limited");
        const retryAfter = Number(over.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(over.body.retry_after_seconds).toBe(retryAfter);
      }
      // Keys are counted separately; every route counts against the key's limit.
      const fresh = await a.t.call("POST", "/v1/search", { key: geo.adminKey, body });
      expect(fresh.status).toBe(200);
      expect((await a.t.call("GET", "/v1/models", { key })).status).toBe(429);
    });

    it("uses RATE_LIMIT_PER_MINUTE for keys without their own limit", async () => {
      const { key } = await a.t.newKey(geo.adminKey, ["query"]);
      const r = await a.t.call("POST", "/v1/search", {
        key,
        body: { query: "Paris", knowledge_base_ids: [geo.kbId] },
      });
      expect(r.headers.get("ratelimit-limit")).toBe("1000");
    });
  });

  it("counts one window per key in Redis and lets it expire", async () => {
    await awayFromWindowEdge();
    prefix = `test:rl:${randomBytes(6).toString("hex")}:`;
    const limiter = createRedisRateLimiter({ client: redis, prefix, windowMs: 60_000 });
    const d1 = await limiter.hit("key_a", 2);
    const d2 = await limiter.hit("key_a", 2);
    const d3 = await limiter.hit("key_a", 2);
    expect([d1.allowed, d2.allowed, d3.allowed]).toEqual([true, true, false]);
    expect(d3.resetMs).toBeGreaterThan(0);
    expect(d3.resetMs).toBeLessThanOrEqual(60_000);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
  });
});
