/**
 * Which web pages may run an embed. An entry is an exact origin ("https://shop.example.com",
 * "http://localhost:3000") or a host wildcard ("*.example.com" or "https://*.example.com"), which
 * matches any subdomain over https only: a wildcard over plain http would let anyone on the network
 * path speak for the customer's site. Nothing else (paths, "*" alone) is accepted.
 */
const EXACT = /^https?:\/\/([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$/;
const WILDCARD = /^(https:\/\/)?\*\.(([a-z0-9-]+\.)+[a-z0-9-]+)$/;

/** Null when the entry is valid, else what is wrong with it. */
export function originEntryProblem(entry: string): string | null {
  if (EXACT.test(entry) || WILDCARD.test(entry)) return null;
  return `"${entry}" is not an origin: use "https://shop.example.com" (scheme, host, optional port, no path) or "*.example.com" for every subdomain over https`;
}

/** Origins are compared in lower case, as browsers send them. */
export function normalizeOrigin(entry: string): string {
  return entry.trim().toLowerCase().replace(/\/$/, "");
}

export function originAllowed(origin: string | undefined | null, allowed: readonly string[]): boolean {
  if (!origin || origin === "null") return false;
  const o = origin.toLowerCase();
  for (const entry of allowed) {
    if (entry === o) return true;
    const wild = WILDCARD.exec(entry);
    if (wild && o.startsWith("https://")) {
      const host = o.slice("https://".length).replace(/:\d+$/, "");
      if (host.endsWith(`.${wild[2]}`)) return true;
    }
  }
  return false;
}
