import { createLeanFetch } from "../lean-fetch.js";

/**
 * The `fetch` the OpenAI SDK is given for model providers (its `fetch` client option; see lean-fetch.ts
 * for why not the global one). One pool per process for every provider: connections are kept per
 * origin inside it. On Cloudflare Workers (the edge entry) the platform's own fetch is the way out, and
 * undici's pool has no sockets to open, so the global fetch is kept there.
 */
const onWorkers =
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";

let shared: typeof fetch | undefined;
export function providerFetch(): typeof fetch {
  if (onWorkers) return globalThis.fetch;
  shared ??= createLeanFetch();
  return shared;
}
