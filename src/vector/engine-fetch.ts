/**
 * @qdrant/js-client-rest sends every request through the global `fetch` and takes no fetch of its
 * own, so its requests to the vector store are routed here: a call whose URL starts with the vector
 * store's URL goes through the lean fetch (src/lean-fetch.ts: undici's request on a keep-alive pool;
 * why, measured, is written there), and every other call of the global fetch is passed on untouched,
 * so no other library or caller sees a different fetch. Node only (the edge entry does not call it).
 */
import { createLeanFetch } from "../lean-fetch.js";

const prefixes: string[] = [];
let routed = false;

function urlOf(input: string | URL | Request): string | null {
  if (typeof input === "string") return input;
  return input instanceof URL ? input.href : null;
}

/**
 * The URLs the client will call for `baseUrl`: as given, and, when it names no port, with the 6333 the
 * client then adds (`new QdrantClient({ url })` does).
 */
export function vectorStorePrefixes(baseUrl: string): string[] {
  const u = new URL(baseUrl);
  const path = u.pathname.replace(/\/+$/, "");
  const out = [`${u.origin}${path}/`];
  if (!u.port) out.push(`${u.protocol}//${u.hostname}:6333${path}/`);
  return out;
}

/** Idempotent; call once per vector store URL, before its client sends anything. */
export function routeVectorStoreFetch(baseUrl: string): void {
  for (const prefix of vectorStorePrefixes(baseUrl)) if (!prefixes.includes(prefix)) prefixes.push(prefix);
  if (routed) return;
  routed = true;
  const passOn = globalThis.fetch;
  const lean = createLeanFetch();
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = urlOf(input);
    if (url !== null && prefixes.some((p) => url.startsWith(p))) return lean(input, init);
    return passOn(input, init);
  }) as typeof fetch;
}
