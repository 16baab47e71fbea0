import { createLeanFetch } from "../lean-fetch.js";

/**
 * The `fetch` the OpenAI SDK is given for model providers (its `fetch` client option; see lean-fetch.ts
 * for why not the global one). One pool per process for every provider: connections are kept per
 * origin inside it.
 */
let shared: typeof fetch | undefined;
export function providerFetch(): typeof fetch {
  shared ??= createLeanFetch();
  return shared;
}
