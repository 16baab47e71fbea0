import { afterEach, describe, expect, it } from "vitest";
import { redisReadiness } from "../../src/runtime/redis-check.js";

describe("Redis readiness probe", () => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });

  it("is up against the machine's Redis", async () => {
    const probe = redisReadiness("redis://127.0.0.1:6379");
    opened.push(probe);
    expect(probe.name).toBe("redis");
    expect(await probe.check()).toBe(true);
  });

  it("is down, quickly, when nothing listens", async () => {
    const probe = redisReadiness("redis://127.0.0.1:1");
    opened.push(probe);
    expect(await probe.check()).toBe(false);
  });
});
