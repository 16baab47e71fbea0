import { Redis } from "ioredis";
import type { ReadinessCheck } from "../context.js";

/**
 * /readyz probe for REDIS_URL. A dedicated connection that never queues commands while disconnected,
 * so a dead Redis answers "down" at once instead of hanging the probe.
 */
export function redisReadiness(url: string): ReadinessCheck & { close(): Promise<void> } {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  client.on("error", () => {});
  return {
    name: "redis",
    async check() {
      try {
        if (client.status === "wait" || client.status === "end") await client.connect();
        return (await client.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    close: async () => {
      client.disconnect();
    },
  };
}
