import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Which network addresses a plugin may reach (issue 19). A connector fetches from whatever host an
 * organization's administrator configures, the webhook post-processor posts to one; without this, that
 * could be the service's own network: the cloud metadata endpoint (169.254.169.254), the database,
 * Redis, the vector engine on loopback. Unless the operator allows it (PLUGIN_ALLOW_PRIVATE_HOSTS), a
 * plugin's URL host and every address it resolves to must be public.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local (cloud metadata)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  PRIVATE.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const)
  PRIVATE.addSubnet(net, bits, "ipv6");

/** The IPv4 address an IPv6 address carries (mapped `::ffff:a.b.c.d`, or NAT64 `64:ff9b::/96`), if any. */
function embeddedIpv4(ip: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = Number.parseInt(m[2]!, 16);
  const lo = Number.parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether an IP address is loopback, private, link-local, or otherwise not on the public internet. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return PRIVATE.check(bare, "ipv4");
  if (family !== 6) return true; // not an address at all: never trusted as public
  const v4 = embeddedIpv4(bare.toLowerCase());
  return v4 ? PRIVATE.check(v4, "ipv4") : PRIVATE.check(bare, "ipv6");
}

export type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why a URL's host is not public, or null when it is: a literal private address, a `localhost` name,
 * or a name that resolves (any of its addresses) to a private one. A name that does not resolve is
 * refused as well (the fetch would resolve it again, perhaps differently), unless `allowUnresolved`
 * (checking a configuration before any fetch: its runs check again).
 */
export async function privateHostReason(
  url: URL,
  lookup: Lookup = systemLookup,
  opts: { allowUnresolved?: boolean } = {},
): Promise<string | null> {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (isIP(host)) return isPrivateAddress(host) ? `${host} is a private or local address` : null;
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is a local name`;
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch {
    addresses = [];
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside) return `${host} resolves to the private or local address ${inside}`;
  return addresses.length || opts.allowUnresolved ? null : `${host} does not resolve`;
}
