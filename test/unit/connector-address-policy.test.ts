import { afterAll, describe, expect, it } from "vitest";
import { invoke } from "../../src/plugins/package.js";
import { isPrivateAddress, privateHostReason } from "../../src/plugins/sandbox/address-policy.js";
import type { PluginSandbox } from "../../src/plugins/sandbox/pool.js";
import { sandboxFromTarball } from "../helpers/plugins.js";

/**
 * Connectors reach only public addresses unless the operator allows private ones (issue 19): the URL's
 * host and every address the name resolves to are checked before each fetch and each redirect.
 */
describe("which addresses are private", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "fc12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a00:1",
    "[::1]",
    "fe80::1%eth0",
    "not-an-address",
  ])("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe("a URL's host", () => {
  const dns: Record<string, string[]> = {
    "public.example": ["93.184.216.34"],
    "split.example": ["93.184.216.34", "10.0.0.7"],
    "metadata.example": ["169.254.169.254"],
  };
  const lookup = async (host: string) => {
    const found = dns[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found;
  };
  const reason = (url: string, opts?: { allowUnresolved?: boolean }) =>
    privateHostReason(new URL(url), lookup, opts);

  it("is public only when every address it resolves to is", async () => {
    expect(await reason("https://public.example/a")).toBeNull();
    expect(await reason("https://93.184.216.34/")).toBeNull();
    expect(await reason("http://split.example/")).toMatch(
      /resolves to the private or local address 10\.0\.0\.7/,
    );
    expect(await reason("http://metadata.example/")).toMatch(/169\.254\.169\.254/);
    expect(await reason("http://127.0.0.1:8080/")).toMatch(/127\.0\.0\.1 is a private or local address/);
    expect(await reason("http://[::1]:8080/")).toMatch(/::1 is a private/);
    expect(await reason("http://LOCALHOST:3000/")).toMatch(/localhost is a local name/);
    expect(await reason("http://db.localhost/")).toMatch(/local name/);
  });

  it("refuses a name that does not resolve, unless only a configuration is being checked", async () => {
    expect(await reason("http://nowhere.example/")).toMatch(/nowhere\.example does not resolve/);
    expect(await reason("http://nowhere.example/", { allowUnresolved: true })).toBeNull();
  });
});

describe("the sandbox's fetch for a connector", () => {
  const open: PluginSandbox[] = [];
  afterAll(() => {
    for (const s of open) s.close();
  });
  const lookup = async (host: string) =>
    ({ "public.example": ["93.184.216.34"], "inside.example": ["93.184.216.34", "192.168.0.10"] })[host] ??
    [];
  const requested: string[] = [];
  const fetchStub = (async (url: URL | string) => {
    requested.push(String(url));
    const u = new URL(String(url));
    if (u.pathname === "/robots.txt") return new Response("", { status: 404 });
    return new Response("<html><head><title>Hi</title></head><body>Hello</body></html>", {
      headers: { "content-type": "text/html" },
    });
  }) as typeof fetch;
  const list = (s: PluginSandbox, url: string) => invoke(s, "connector", "list", { cursor: null }, { url });

  it("refuses private addresses by name or by resolution, and fetches public ones", async () => {
    // Refused by default: no allowance given.
    const s = await sandboxFromTarball("src/plugins/core/web-connector", open, {
      lookup,
      fetch: fetchStub,
    });
    for (const [url, why] of [
      ["http://127.0.0.1:8080/", /127\.0\.0\.1 is a private or local address/],
      ["http://169.254.169.254/latest/", /169\.254\.169\.254 is a private or local address/],
      ["http://inside.example/", /resolves to the private or local address 192\.168\.0\.10/],
      ["http://unknown.example/", /does not resolve/],
    ] as const) {
      const err = await list(s, url).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      expect(err?.code, url).toBe("plugin_permission_denied");
      expect(err?.message).toMatch(why);
      expect(err?.message).toContain("PLUGIN_ALLOW_PRIVATE_HOSTS");
    }
    expect(requested).toEqual([]);
    const ok = await list(s, "http://public.example/");
    expect(ok.items.map((i) => i.id)).toEqual(["http://public.example/"]);
    expect(requested).toEqual(["http://public.example/robots.txt", "http://public.example/"]);
  }, 30_000);

  it("fetches from private addresses when the operator allows them", async () => {
    requested.length = 0;
    const s = await sandboxFromTarball("src/plugins/core/web-connector", open, {
      allowPrivateHosts: true,
      lookup,
      fetch: fetchStub,
    });
    const ok = await list(s, "http://127.0.0.1:8080/");
    expect(ok.items).toHaveLength(1);
    expect(requested).toEqual(["http://127.0.0.1:8080/robots.txt", "http://127.0.0.1:8080/"]);
  }, 30_000);
});

describe("the sandbox's fetch for other plugins (the webhook post-processor)", () => {
  const open: PluginSandbox[] = [];
  afterAll(() => {
    for (const s of open) s.close();
  });
  const answer = { question: "Capital?", answer: "Warsaw.", citations: [] };
  const config = (url: string) => ({ url, signingSecret: "whsec_0123456789abcdef" });

  it("refuses a private webhook URL by default with plugin_permission_denied, and never posts", async () => {
    const { createServer } = await import("node:http");
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as import("node:net").AddressInfo).port;
    const s = await sandboxFromTarball("src/plugins/core/webhook-postprocessor", open);
    const err = await invoke(
      s,
      "postprocessor",
      "process",
      answer,
      config(`http://127.0.0.1:${port}/hook`),
    ).then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
    expect(err?.code).toBe("plugin_permission_denied");
    expect(err?.message).toMatch(/127\.0\.0\.1 is a private or local address/);
    expect(err?.message).toContain("PLUGIN_ALLOW_PRIVATE_HOSTS");
    expect(hits).toEqual([]);
    server.close();
  }, 30_000);

  it("posts to a public webhook host", async () => {
    const posted: string[] = [];
    const s = await sandboxFromTarball("src/plugins/core/webhook-postprocessor", open, {
      lookup: async (host) => (host === "hooks.example" ? ["93.184.216.34"] : []),
      fetch: (async (url: URL | string, init?: RequestInit) => {
        posted.push(`${init?.method} ${url}`);
        return new Response("ok");
      }) as typeof fetch,
    });
    const out = await invoke(s, "postprocessor", "process", answer, config("https://hooks.example/answers"));
    expect(out.answer).toBe("Warsaw.");
    expect(posted).toEqual(["POST https://hooks.example/answers"]);
  }, 30_000);
});
